using System;
using System.Diagnostics;

public class Program
{
    public static void Main()
    {
        var p = Process.Start("/bin/sh", "-c \"echo shell\"");
        p.WaitForExit();
        Console.WriteLine(p.ExitCode);
    }
}
