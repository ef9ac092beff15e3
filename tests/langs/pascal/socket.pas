program socket;
uses
  Sockets;
begin
  writeln(fpSocket(AF_INET, SOCK_STREAM, 0));
end.
