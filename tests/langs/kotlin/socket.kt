import java.net.Socket

fun main() {
    Socket("127.0.0.1", 80).use { println("connected") }
}
