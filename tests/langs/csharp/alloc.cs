using System;

// 512 MiB in one table, every page written, the sum printed.
public class Program
{
    public static void Main()
    {
        int n = 512 << 20;
        byte[] table = new byte[n];
        for (int i = 0; i < n; i += 4096)
            table[i] = 1;
        long sum = 0;
        for (int i = 0; i < n; i += 4096)
            sum += table[i];
        Console.WriteLine(sum);
    }
}
