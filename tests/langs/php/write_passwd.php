<?php
$f = @fopen('/etc/passwd', 'a');
echo $f ? "opened\n" : "refused\n";
