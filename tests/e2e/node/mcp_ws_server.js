// An MCP server over WebSocket written independently of surge: the official SDK's McpServer (tools `echo`
// and `get-sum`, as the reference server-everything has them) behind the npm `ws` package's server, which
// accepts subprotocol "mcp" (handleProtocols), carrying one JSON-RPC message per text frame as the SDK's
// WebSocketClientTransport expects. Each connection is one session with its own McpServer. It keeps the
// truth a test compares surge's figures with: sessions, requests by method, tool calls by name, and served
// at GET /stats on the same port.
// Usage: node mcp_ws_server.js   Prints "listening on 127.0.0.1:PORT" once ready; runs until killed.
'use strict';

const http = require('http');
const WebSocket = require('ws');
const { z } = require('zod');
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { JSONRPCMessageSchema } = require('@modelcontextprotocol/sdk/types.js');

const stats = { connections: 0, closed: 0, rejected_protocol: 0, by_method: {}, by_tool: {} };
const count = (table, key) => { table[key] = (table[key] || 0) + 1; };

// The SDK's Transport interface over one `ws` socket: start, send, close, and the on* callbacks it sets.
class WsServerTransport {
  constructor(socket) {
    this.socket = socket;
  }
  async start() {
    this.socket.on('message', (data, isBinary) => {
      let message;
      try {
        message = JSONRPCMessageSchema.parse(JSON.parse(data.toString()));
      } catch (error) {
        this.onerror?.(error);
        return;
      }
      if (message.method !== undefined) count(stats.by_method, message.method);
      if (message.method === 'tools/call') count(stats.by_tool, message.params.name);
      this.onmessage?.(message);
    });
    this.socket.on('close', () => this.onclose?.());
  }
  async send(message) {
    this.socket.send(JSON.stringify(message));
  }
  async close() {
    this.socket.close();
  }
}

function newServer() {
  const server = new McpServer({ name: 'mcp-ws-test-server', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes back the input', inputSchema: { message: z.string() } },
    async ({ message }) => ({ content: [{ type: 'text', text: `Echo: ${message}` }] }));
  server.registerTool('get-sum', { description: 'Returns the sum of two numbers',
    inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: `The sum of ${a} and ${b} is ${a + b}.` }] }));
  return server;
}

const web = http.createServer((request, response) => {
  if (request.url === '/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(stats));
    return;
  }
  response.writeHead(404);
  response.end();
});
const sockets = new WebSocket.Server({
  server: web,
  perMessageDeflate: false,
  handleProtocols: (protocols) => {
    if (protocols.has('mcp')) return 'mcp';
    stats.rejected_protocol++;
    return false;
  },
});
sockets.on('connection', (socket) => {
  stats.connections++;
  socket.on('close', () => stats.closed++);
  newServer().connect(new WsServerTransport(socket)).catch((error) => console.error(error));
});
web.listen(0, '127.0.0.1', () => console.log('listening on 127.0.0.1:' + web.address().port));
