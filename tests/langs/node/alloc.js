// 512 MiB in one typed array, every page written, the sum printed.
const n = 512 << 20;
const table = new Uint8Array(n);
for (let i = 0; i < n; i += 4096) table[i] = 1;
let sum = 0;
for (let i = 0; i < n; i += 4096) sum += table[i];
console.log(sum);
