const { execSync } = require('child_process');
console.log(execSync('echo shell').toString());
