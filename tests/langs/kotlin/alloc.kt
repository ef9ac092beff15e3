// 512 MiB in one table, every page written, the sum printed.
fun main() {
    val n = 512 shl 20
    val table = ByteArray(n)
    for (i in 0 until n step 4096)
        table[i] = 1
    var sum = 0L
    for (i in 0 until n step 4096)
        sum += table[i]
    println(sum)
}
