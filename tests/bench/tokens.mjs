// Token figures for what agents read from hzl, counted with gpt-tokenizer (o200k_base): the MCP
// server's whole tools/list answer, from a real `hzl mcp` process.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { countTokens } from 'gpt-tokenizer';
import { HZL, cleanEnv } from './repo.mjs';

export async function tokenFigures(cwd) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [HZL, 'mcp'],
    cwd,
    env: cleanEnv(),
    stderr: 'ignore',
  });
  const client = new Client({ name: 'hzl-bench', version: '1.0.0' });
  await client.connect(transport);
  try {
    const listed = await client.listTools();
    return { mcpToolsList: { tools: listed.tools.length, tokens: countTokens(JSON.stringify(listed)), goal: 1500 } };
  } finally {
    await client.close();
  }
}
