// Stays under 256 MiB: 100 MiB kept live for the whole run, while 1 GiB of
// short-lived 64 KiB arrays is allocated and dropped.
fun main() {
    val live = Array(100) { ByteArray(1 shl 20) }
    for (block in live)
        for (j in 0 until block.size step 4096)
            block[j] = 1
    var sum = 0L
    for (k in 0 until 16384) {
        val tmp = ByteArray(64 shl 10)
        for (j in 0 until tmp.size step 4096)
            tmp[j] = k.toByte()
        sum += tmp[k % tmp.size] + live[k % live.size][0]
    }
    println("fits $sum")
}
