using System;

// Stays under 256 MiB: 100 MiB kept live for the whole run, while 1 GiB of
// short-lived 4 KiB arrays is allocated and dropped (4 KiB, not the other
// languages' 64 KiB: sgen puts arrays over 8000 bytes in its large-object
// space, where each one costs a mapping, and that run took a second of CPU).
public class Program
{
    public static void Main()
    {
        var live = new byte[100][];
        for (int i = 0; i < live.Length; i++)
        {
            live[i] = new byte[1 << 20];
            for (int j = 0; j < live[i].Length; j += 4096)
                live[i][j] = 1;
        }
        long sum = 0;
        for (int k = 0; k < 262144; k++)
        {
            var tmp = new byte[4 << 10];
            for (int j = 0; j < tmp.Length; j += 4096)
                tmp[j] = (byte)k;
            sum += tmp[k % tmp.Length] + live[k % live.Length][0];
        }
        Console.WriteLine("fits " + sum);
    }
}
