program write_passwd;
var
  f: text;
begin
  assign(f, '/etc/passwd');
  {$I-}
  append(f);
  {$I+}
  if IOResult = 0 then
    writeln('opened')
  else
    writeln('refused');
end.
