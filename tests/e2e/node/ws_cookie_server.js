// Cookies on WebSocket upgrades, served independently of surge by Node's http module and the npm `ws`
// package on one port:
//   GET /login           Set-Cookie: session=s<N>; Path=/   (N counts logins)
//   GET /whoami          answers "cookie=[<the Cookie header received>]"
//   upgrade at /ws       the 101 carries Set-Cookie: ws_seen=<the upgrade's number>; Path=/; every message
//                        is answered "cookie=[<the upgrade's Cookie header>] <the message>"
//   GET /stats           {logins, upgrades, upgrades_with_session}: upgrades whose Cookie held a session
// Usage: node ws_cookie_server.js   Prints "listening on 127.0.0.1:PORT" once ready; runs until killed.
'use strict';

const http = require('http');
const WebSocket = require('ws');

const stats = { logins: 0, upgrades: 0, upgrades_with_session: 0, whoami_with_ws_seen: 0 };

const web = http.createServer((request, response) => {
  const cookie = request.headers.cookie || '';
  if (request.url === '/login') {
    stats.logins++;
    response.writeHead(200, { 'set-cookie': `session=s${stats.logins}; Path=/` });
    response.end('ok');
  } else if (request.url === '/whoami') {
    if (/(^|; )ws_seen=/.test(cookie)) stats.whoami_with_ws_seen++;
    response.end(`cookie=[${cookie}]`);
  } else if (request.url === '/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(stats));
  } else {
    response.writeHead(404);
    response.end();
  }
});
const sockets = new WebSocket.Server({ server: web, path: '/ws', perMessageDeflate: false });
sockets.on('headers', (headers) => headers.push(`Set-Cookie: ws_seen=${stats.upgrades + 1}; Path=/`));
sockets.on('connection', (socket, request) => {
  stats.upgrades++;
  const cookie = request.headers.cookie || '';
  if (/(^|; )session=/.test(cookie)) stats.upgrades_with_session++;
  socket.on('message', (data) => socket.send(`cookie=[${cookie}] ${data}`));
});
web.listen(0, '127.0.0.1', () => console.log('listening on 127.0.0.1:' + web.address().port));
