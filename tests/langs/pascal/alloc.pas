program alloc;
{ 512 MiB on the heap, every byte written by FillChar; the sum of one byte
  per page is printed, so nothing can be left out. }
const
  n = 512 * 1024 * 1024;
var
  p: PByte;
  i, sum: int64;
begin
  GetMem(p, n);
  FillChar(p^, n, 1);
  sum := 0;
  i := 0;
  while i < n do
  begin
    sum := sum + p[i];
    inc(i, 4096);
  end;
  writeln(sum);
end.
