using System;
using System.Net.Sockets;

public class Program
{
    public static void Main()
    {
        using (var c = new TcpClient("127.0.0.1", 80))
            Console.WriteLine("connected");
    }
}
