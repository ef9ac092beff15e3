import java.io.FileInputStream;
import java.io.FileDescriptor;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

// A+B read through java.nio, as fast-input templates do: the JVM loads
// libnet, which probes sockets, and makes an AF_UNIX socketpair.
public class aplusb_nio {
    public static void main(String[] args) throws Exception {
        FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        while (in.read(buf) > 0)
            ;
        String[] parts = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim().split("\\s+");
        System.out.println(Long.parseLong(parts[0]) + Long.parseLong(parts[1]));
    }
}
