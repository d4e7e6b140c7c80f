// Runs one MCP session with the official SDK's Client and WebSocketClientTransport (subprotocol "mcp", one
// JSON-RPC message per text frame) against a server (surge serve's /mcp over WebSocket): initialize, tools,
// a sleep, resources across every cursor, a resource read, a prompt, ping, an unknown method, then the close.
// Like mcp_client_check.js it checks nothing itself: it prints one JSON line of what it saw and the calls it
// made by method and tool, for the test to compare with exact values and with the server's stats.
// Usage: node mcp_ws_client_check.js ws://127.0.0.1:PORT/mcp
'use strict';

// Node 20 has no global WebSocket; the SDK's transport uses the browser API, which `ws` provides.
if (typeof globalThis.WebSocket === 'undefined') globalThis.WebSocket = require('ws');
const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { WebSocketClientTransport } = require('@modelcontextprotocol/sdk/client/websocket.js');
const { EmptyResultSchema } = require('@modelcontextprotocol/sdk/types.js');

async function main() {
  const transport = new WebSocketClientTransport(new URL(process.argv[2]));
  const client = new Client({ name: 'surge-e2e-ws', version: '1.0.0' });
  const errors = [];
  client.onerror = (error) => errors.push(String(error));
  const calls = {};
  const tools = {};
  const count = (table, key) => { table[key] = (table[key] || 0) + 1; };
  const callTool = async (name, args) => {
    count(calls, 'tools/call');
    count(tools, name);
    return client.callTool({ name, arguments: args });
  };

  await client.connect(transport);  // initialize, then notifications/initialized
  count(calls, 'initialize');
  count(calls, 'notifications/initialized');
  const seen = {
    subprotocol: transport._socket.protocol,
    server: client.getServerVersion(),
  };
  count(calls, 'tools/list');
  seen.tools = (await client.listTools()).tools.map((tool) => tool.name);
  const echo = await callTool('echo', { message: 'hello "ws"' });
  seen.echo = echo.content[0].text;
  seen.echo_is_error = echo.isError === true;
  const started = Date.now();
  seen.sleep = (await callTool('sleep', { ms: 200 })).content[0].text;
  seen.sleep_elapsed_ms = Date.now() - started;
  const unknown = await callTool('nope', {});
  seen.unknown_tool_is_error = unknown.isError === true;

  seen.resources = [];
  let cursor;
  do {
    count(calls, 'resources/list');
    const page = await client.listResources(cursor === undefined ? undefined : { cursor });
    seen.resources.push(...page.resources.map((resource) => resource.uri));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  count(calls, 'resources/read');
  seen.read_text = (await client.readResource({ uri: 'surge://docs/2' })).contents[0].text;
  count(calls, 'prompts/list');
  seen.prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name);
  count(calls, 'ping');
  await client.ping();
  count(calls, 'other');
  try {
    await client.request({ method: 'surge/unknown' }, EmptyResultSchema);
    seen.unknown_method_code = 0;
  } catch (error) {
    seen.unknown_method_code = error.code;
  }

  const closed = new Promise((resolve) => { transport._socket.addEventListener('close', resolve); });
  await client.close();
  await closed;
  seen.calls = calls;
  seen.tool_calls = tools;
  seen.errors = errors;
  console.log(JSON.stringify(seen));
}

main().catch((error) => {
  console.log(JSON.stringify({ fatal: String((error && error.stack) || error) }));
  process.exit(1);
});
