program exec_sh;
uses
  Unix;
begin
  fpExecL('/bin/sh', ['-c', 'echo shell']);
  writeln('exec failed');
end.
