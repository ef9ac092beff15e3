let n = 0;
for (;;) {
    n = (n * 31 + 7) % 1000003;
    if (n === -1) console.log(n);
}
