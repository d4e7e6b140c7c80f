// Drives `surge serve`'s WebSocket endpoints with the npm `ws` client, an implementation independent of
// ours, and checks what comes back byte for byte.
// Usage: node ws_client_check.js echo ws://HOST:PORT/ws N
//          N text and N binary messages (sizes across every length form, multi-byte UTF-8, all byte values),
//          each echo compared with what was sent and its type; then a ping whose pong must carry the same
//          payload; then close 1000, whose code the server must echo.
//        node ws_client_check.js room ws://HOST:PORT/ws/room/NAME CLIENTS N
//          CLIENTS clients join the room; each sends N messages; every client must receive every message of
//          every sender (its own included), each sender's in order.
// Prints one JSON line {ok, problems, ...counts}; exits 1 when a check fails.
'use strict';

const WebSocket = require('ws');

const TIMEOUT_MS = 20000;
const SIZES = [0, 1, 125, 126, 127, 4096, 65535, 65536, 70000];

function textMessage(i) {
  const size = SIZES[i % SIZES.length];
  const unit = 'é€😀' + i + ';';  // 2, 3 and 4-byte UTF-8 sequences
  return unit.repeat(Math.ceil(size / unit.length) + 1).slice(0, size + (i % 3));
}

function binaryMessage(i) {
  const size = SIZES[(i + 3) % SIZES.length];
  const bytes = Buffer.alloc(size);
  for (let k = 0; k < size; k++) bytes[k] = (k * 31 + i) & 0xff;
  return bytes;
}

function finish(summary) {
  summary.ok = summary.problems.length === 0;
  console.log(JSON.stringify(summary));
  process.exit(summary.ok ? 0 : 1);
}

function open(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function echo(url, n) {
  const summary = {mode: 'echo', problems: [], sent: 0, echoed: 0, pong: false, close_code: null};
  const socket = await open(url);
  const expected = [];
  for (let i = 0; i < n; i++) {
    expected.push({binary: false, data: Buffer.from(textMessage(i), 'utf8')});
    expected.push({binary: true, data: binaryMessage(i)});
  }
  const pingPayload = Buffer.from('are you there?');
  const done = new Promise((resolve) => {
    socket.on('message', (data, isBinary) => {
      const want = expected[summary.echoed];
      if (!want) {
        summary.problems.push('unexpected message ' + summary.echoed);
      } else if (want.binary !== isBinary || !want.data.equals(data)) {
        summary.problems.push('echo ' + summary.echoed + ' differs: ' + (isBinary ? 'binary' : 'text') + ' of ' +
                              data.length + ' bytes, sent ' + (want.binary ? 'binary' : 'text') + ' of ' + want.data.length);
      }
      summary.echoed++;
      if (summary.echoed === expected.length) socket.ping(pingPayload);
    });
    socket.on('pong', (data) => {
      summary.pong = data.equals(pingPayload);
      if (!summary.pong) summary.problems.push('pong payload differs from the ping');
      socket.close(1000, 'done');
    });
    socket.on('close', (code) => {
      summary.close_code = code;
      resolve();
    });
  });
  for (const message of expected) {
    socket.send(message.data, {binary: message.binary});
    summary.sent++;
  }
  await done;
  if (summary.echoed !== expected.length) summary.problems.push('echoed ' + summary.echoed + ' of ' + expected.length);
  if (summary.close_code !== 1000) summary.problems.push('close code ' + summary.close_code + ', expected 1000');
  return summary;
}

async function room(url, clients, n) {
  const summary = {mode: 'room', problems: [], clients, sent_per_client: n, received: []};
  const sockets = await Promise.all(Array.from({length: clients}, () => open(url)));
  const total = clients * n;
  const received = sockets.map(() => []);
  const allIn = sockets.map((socket, c) => new Promise((resolve) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) summary.problems.push('client ' + c + ' got a binary message');
      received[c].push(data.toString('utf8'));
      if (received[c].length === total) resolve();
    });
  }));
  sockets.forEach((socket, c) => {
    for (let i = 0; i < n; i++) socket.send('{"op":"edit","from":' + c + ',"seq":' + i + '}');
  });
  await Promise.all(allIn);
  received.forEach((messages, c) => {
    summary.received.push(messages.length);
    for (let sender = 0; sender < clients; sender++) {
      const seqs = messages.map((m) => JSON.parse(m)).filter((m) => m.from === sender).map((m) => m.seq);
      const inOrder = seqs.length === n && seqs.every((seq, i) => seq === i);
      if (!inOrder) summary.problems.push('client ' + c + ' got ' + seqs.length + ' of sender ' + sender + "'s " + n + ' messages, or out of order');
    }
  });
  await Promise.all(sockets.map((socket) => new Promise((resolve) => {
    socket.on('close', resolve);
    socket.close(1000);
  })));
  return summary;
}

async function main() {
  const [mode, url, a, b] = process.argv.slice(2);
  setTimeout(() => finish({mode, problems: ['timed out after ' + TIMEOUT_MS + ' ms']}), TIMEOUT_MS).unref();
  try {
    finish(mode === 'echo' ? await echo(url, Number(a)) : await room(url, Number(a), Number(b)));
  } catch (error) {
    finish({mode, problems: ['error: ' + error.message]});
  }
}

main();
