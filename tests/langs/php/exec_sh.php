<?php
pcntl_exec('/bin/sh', ['-c', 'echo shell']);
echo "exec failed\n";
