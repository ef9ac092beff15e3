<?php
// An uncaught exception: "PHP Fatal error: Uncaught ..." and exit status 255.
function parse(string $s): int
{
    if (!is_numeric($s)) {
        throw new InvalidArgumentException("bad input: '$s'");
    }
    return (int)$s;
}
echo parse(trim(stream_get_contents(STDIN))), "\n";
