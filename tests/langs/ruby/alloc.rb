# 512 MiB of ones: String#* writes every byte.
n = 512 << 20
table = "\x01" * n
puts table.getbyte(n - 1) + table.getbyte(n / 2)
