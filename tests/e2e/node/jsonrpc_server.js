// A JSON-RPC 2.0 server written independently of surge, over HTTP POST (any path) and over WebSocket (the
// npm `ws` package, one message per text frame), on one port. It keeps the truth a test compares surge's
// figures with: requests and notifications by method, and request ids a client repeated.
//   add [a, b]      -> result a + b            echo {text}  -> result {text}
//   wrong_id        -> result, but the id + 1000 (a server that mixes answers up)
//   boom            -> error -32000            anything else -> error -32601 (method not found)
// Over WebSocket a notification {"method":"tick"} goes out before every answer, so a client must skip it.
// Batches are answered in reverse order. Ids repeat when params.user (or the connection, over WebSocket)
// sent the same id twice. GET /stats answers the counts as JSON.
// Usage: node jsonrpc_server.js   Prints "listening on 127.0.0.1:PORT" once ready; runs until killed.
'use strict';

const http = require('http');
const WebSocket = require('ws');

const stats = {requests: 0, notifications: 0, repeated_ids: 0, by_method: {}, batches: 0};
const seenIds = new Map();  // user key -> Set of ids

function answer(message, userKey) {
  if (message === null || typeof message !== 'object' || message.jsonrpc !== '2.0' ||
      typeof message.method !== 'string') {
    return {jsonrpc: '2.0', id: null, error: {code: -32600, message: 'Invalid Request'}};
  }
  stats.by_method[message.method] = (stats.by_method[message.method] || 0) + 1;
  if (!('id' in message)) {
    stats.notifications++;
    return null;
  }
  stats.requests++;
  const params = message.params || {};
  const key = (params && params.user !== undefined) ? 'user:' + params.user : userKey;
  if (!seenIds.has(key)) seenIds.set(key, new Set());
  if (seenIds.get(key).has(message.id)) stats.repeated_ids++;
  seenIds.get(key).add(message.id);
  const id = message.id;
  switch (message.method) {
    case 'add': return {jsonrpc: '2.0', id, result: params[0] + params[1]};
    case 'echo': return {jsonrpc: '2.0', id, result: {text: params.text}};
    case 'wrong_id': return {jsonrpc: '2.0', id: id + 1000, result: true};
    case 'boom': return {jsonrpc: '2.0', id, error: {code: -32000, message: 'boom'}};
    default: return {jsonrpc: '2.0', id, error: {code: -32601, message: 'Method not found'}};
  }
}

// The reply text for one body (a message or a batch), or null when nothing is owed.
function reply(text, userKey) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return JSON.stringify({jsonrpc: '2.0', id: null, error: {code: -32700, message: 'Parse error'}});
  }
  if (Array.isArray(parsed)) {
    stats.batches++;
    const answers = parsed.map((m) => answer(m, userKey)).filter((a) => a !== null).reverse();
    return answers.length > 0 ? JSON.stringify(answers) : null;
  }
  const one = answer(parsed, userKey);
  return one === null ? null : JSON.stringify(one);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    const body = JSON.stringify(stats);
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)});
    res.end(body);
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const out = reply(Buffer.concat(chunks).toString('utf8'), 'http');
    if (out === null) {
      res.writeHead(202);
      res.end();
      return;
    }
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(out)});
    res.end(out);
  });
});

let connections = 0;
const wss = new WebSocket.Server({server, perMessageDeflate: false});
wss.on('connection', (socket) => {
  const key = 'ws:' + (++connections);
  socket.on('message', (data) => {
    const out = reply(data.toString('utf8'), key);
    if (out === null) return;
    socket.send(JSON.stringify({jsonrpc: '2.0', method: 'tick', params: {}}));
    socket.send(out);
  });
});

server.listen(0, '127.0.0.1', () => console.log('listening on 127.0.0.1:' + server.address().port));
