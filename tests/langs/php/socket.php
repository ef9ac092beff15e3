<?php
// The sockets extension may be missing; a stream socket is always there.
$s = @stream_socket_client('tcp://127.0.0.1:80', $errno, $errstr, 1);
echo $s ? "connected\n" : "refused: $errstr\n";
