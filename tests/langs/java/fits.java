// Stays under 256 MiB: 100 MiB kept live for the whole run, while 1 GiB of
// short-lived 64 KiB arrays is allocated and dropped. A runtime that lets
// its garbage pile up past the limit before collecting goes over it.
public class fits {
    public static void main(String[] args) {
        byte[][] live = new byte[100][];
        for (int i = 0; i < live.length; i++) {
            live[i] = new byte[1 << 20];
            for (int j = 0; j < live[i].length; j += 4096)
                live[i][j] = 1;
        }
        long sum = 0;
        for (int k = 0; k < 16384; k++) {
            byte[] tmp = new byte[64 << 10];
            for (int j = 0; j < tmp.length; j += 4096)
                tmp[j] = (byte) k;
            sum += tmp[k % tmp.length] + live[k % live.length][0];
        }
        System.out.println("fits " + sum);
    }
}
