program panic;
{ An exception nobody catches: the run-time library prints it and the
  program ends with run-time error 217. }
uses
  SysUtils;
begin
  raise Exception.Create('bad input');
end.
