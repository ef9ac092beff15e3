import java.io.FileWriter;

public class write_passwd {
    public static void main(String[] args) throws Exception {
        try (FileWriter w = new FileWriter("/etc/passwd", true)) {
            System.out.println("opened");
        }
    }
}
