// Runs one MCP session with the official SDK's Client and StreamableHTTPClientTransport against a server
// (surge serve's /mcp): initialize, tools, resources across every cursor, a prompt, ping, an unknown method,
// then DELETE of the session. It checks nothing itself: it prints one JSON line of what it saw, and the
// calls it made by method and tool, for the test to compare with exact values and with the server's stats.
// Usage: node mcp_client_check.js http://127.0.0.1:PORT/mcp
'use strict';

const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
const { EmptyResultSchema } = require('@modelcontextprotocol/sdk/types.js');

async function main() {
  const transport = new StreamableHTTPClientTransport(new URL(process.argv[2]));
  const client = new Client({ name: 'surge-e2e', version: '1.0.0' });
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

  await client.connect(transport);  // initialize, then notifications/initialized (and a GET, answered 405)
  count(calls, 'initialize');
  count(calls, 'notifications/initialized');
  const seen = {
    session_id_length: transport.sessionId.length,
    protocol_version: transport.protocolVersion,
    server: client.getServerVersion(),
  };

  count(calls, 'tools/list');
  seen.tools = (await client.listTools()).tools.map((tool) => tool.name);
  const echo = await callTool('echo', { message: 'hello "mcp"' });
  seen.echo = echo.content[0].text;
  seen.echo_is_error = echo.isError === true;
  seen.sleep = (await callTool('sleep', { ms: 50 })).content[0].text;
  const first = (await callTool('complete', { prompt: 'def add(a, b):' })).content[0].text;
  const again = (await callTool('complete', { prompt: 'def add(a, b):' })).content[0].text;
  seen.complete = first;
  seen.complete_repeats = first === again;
  const unknown = await callTool('nope', {});
  seen.unknown_tool_is_error = unknown.isError === true;
  seen.unknown_tool_text = unknown.content[0].text;

  seen.resources = [];
  seen.resource_pages = 0;
  let cursor;
  do {
    count(calls, 'resources/list');
    const page = await client.listResources(cursor === undefined ? undefined : { cursor });
    seen.resource_pages += 1;
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

  await transport.terminateSession();
  seen.terminated = transport.sessionId === undefined;
  await client.close();
  seen.calls = calls;
  seen.tool_calls = tools;
  seen.errors = errors;
  console.log(JSON.stringify(seen));
}

main().catch((error) => {
  console.log(JSON.stringify({ fatal: String((error && error.stack) || error) }));
  process.exit(1);
});
