const input = null;
console.log(input.length);
