// Stays under 256 MiB: 64 MiB kept live for the whole run (arrays of numbers
// on the JS heap), while 1 GiB of short-lived 64 KiB arrays is allocated and
// dropped.
const live = [];
for (let i = 0; i < 64; i++) live.push(new Array(1 << 17).fill(1.5));
let sum = 0;
for (let k = 0; k < 16384; k++) {
    const tmp = new Array(8192).fill(k + 0.5);
    sum += tmp[k % tmp.length] + live[k % live.length][0];
}
console.log('fits ' + sum);
