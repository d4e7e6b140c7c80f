// A WebSocket echo server built on the npm `ws` package, an implementation independent of ours, for
// testing surge's own handshake and frame codec against: every text or binary message comes back with the
// same type, pings are answered by the library, and a close is answered with the same code.
// Usage: node ws_echo_server.js   (listens on 127.0.0.1, a free port)
// Prints "listening on 127.0.0.1:PORT" once ready; runs until killed.
'use strict';

const WebSocket = require('ws');

const server = new WebSocket.Server({host: '127.0.0.1', port: 0, perMessageDeflate: false});
server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, {binary: isBinary}));
});
server.on('listening', () => console.log('listening on 127.0.0.1:' + server.address().port));
