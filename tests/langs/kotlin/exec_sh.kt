fun main() {
    val p = ProcessBuilder("/bin/sh", "-c", "echo shell").inheritIO().start()
    println(p.waitFor())
}
