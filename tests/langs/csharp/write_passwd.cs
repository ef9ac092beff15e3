using System;
using System.IO;

// Opened read-write without creating or appending: the one kind of open
// judge-mono refuses quietly once (mono's own /dev/null at start-up); a
// solution's is fatal.
public class Program
{
    public static void Main()
    {
        using (var f = new FileStream("/etc/passwd", FileMode.Open, FileAccess.ReadWrite))
            Console.WriteLine("opened");
    }
}
