const fs = require('fs');
const fd = fs.openSync('/etc/passwd', 'a');
console.log('opened', fd);
