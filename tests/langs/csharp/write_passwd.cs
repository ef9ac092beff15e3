using System;
using System.IO;

public class Program
{
    public static void Main()
    {
        using (var w = File.AppendText("/etc/passwd"))
            Console.WriteLine("opened");
    }
}
