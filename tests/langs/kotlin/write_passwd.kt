import java.io.File

fun main() {
    File("/etc/passwd").appendText("")
    println("opened")
}
