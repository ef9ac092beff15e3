fun main(args: Array<String>) {
    val a = intArrayOf(1, 2, 3)
    println(a[args.size + 5])
}
