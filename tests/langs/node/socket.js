const net = require('net');
const s = net.connect(80, '127.0.0.1', () => console.log('connected'));
s.on('error', (e) => console.log('refused', e.code));
