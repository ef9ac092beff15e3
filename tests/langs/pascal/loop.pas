program loop;
var
  i: qword;
begin
  i := 0;
  while true do
    inc(i);
end.
