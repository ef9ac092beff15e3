# 512 MiB of ones: bytes * n writes every byte (a bytearray(n) of zeros
# may come from calloc's untouched pages and never count).
n = 512 << 20
table = b"\x01" * n
print(sum(table[::4096]))
