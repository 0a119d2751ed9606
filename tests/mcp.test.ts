// `hzl mcp`: a real server child process driven by the SDK's own client over stdio.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { countTokens } from 'gpt-tokenizer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, HZL, hzlAsync, readTask, ROOT, runInProcess, snapshot, tempRepo } from './helpers.js';

runInProcess();

const clients: Client[] = [];
afterEach(async () => {
  while (clients.length) await clients.pop()!.close();
});

async function connect(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [HZL, ...args, 'mcp'],
    cwd: dir,
    env: baseEnv({ HZL_AUTHOR: 'claude-code', HZL_NOW: '2026-03-01T10:00:00Z', ...env }) as Record<string, string>,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'hzl-test', version: '1.0.0' });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult & { text: string }> {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  return { ...r, text };
}

describe('hzl mcp', () => {
  it('lists seven tools in under 1,500 tokens', async () => {
    const client = await connect(tempRepo());
    const listed = await client.listTools();
    expect(listed.tools.map((t) => t.name).sort()).toEqual([
      'hzl_add',
      'hzl_checkpoint',
      'hzl_claim',
      'hzl_complete',
      'hzl_handoff',
      'hzl_list',
      'hzl_show',
    ]);
    const tokens = countTokens(JSON.stringify(listed));
    expect(tokens).toBeLessThan(1500);
  });

  it('runs the seed workflow through tools and writes the task file', async () => {
    const dir = tempRepo();
    const client = await connect(dir);
    const added = await call(client, 'hzl_add', {
      title: 'Implement user authentication',
      priority: '2',
      tags: 'auth',
    });
    expect(added.isError).toBeFalsy();
    expect(added.text).toContain('1');
    expect((added.structuredContent as { task: { id: number } }).task.id).toBe(1);

    const available = await call(client, 'hzl_list', { available: true });
    expect(available.text).toContain('Implement user authentication');
    expect((available.structuredContent as { tasks: unknown[] }).tasks).toHaveLength(1);

    const claimed = await call(client, 'hzl_claim', { next: true });
    expect(claimed.text).toContain('Claimed #1 for claude-code');
    const mine = await call(client, 'hzl_list', { mine: true });
    expect(mine.text).toContain('Implement user authentication');

    const text = '- Designed schema (users table)\nNext: password hashing';
    expect((await call(client, 'hzl_checkpoint', { id: '1', text })).text).toContain('Checkpoint added to #1');
    expect(
      (await call(client, 'hzl_handoff', { id: '1', note: 'Schema done. Remaining: tests', to: 'reviewer' })).isError,
    ).toBeFalsy();
    const shown = await call(client, 'hzl_show', { id: '#1' });
    expect(shown.text).toContain('Schema done. Remaining: tests');
    expect(shown.text).toContain('- Designed schema (users table)');

    await call(client, 'hzl_claim', { id: '1' });
    const done = await call(client, 'hzl_complete', { id: '1', message: 'Merged' });
    expect(done.text).toContain('Completed #1');

    const file = readTask(dir, 1);
    expect(file).toMatch(/^status: done$/m);
    expect(file).toContain('claude-code: - Designed schema (users table)\n  Next: password hashing');
    expect(file).toContain('claude-code: Merged');
  });

  it('answers bad calls with the CLI one-line errors as tool errors, and keeps serving', async () => {
    const dir = tempRepo();
    const client = await connect(dir);
    const before = snapshot(dir);
    const missing = await call(client, 'hzl_show', { id: '42' });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/^hzl: task #42 not found[^\n]*$/);
    const badId = await call(client, 'hzl_checkpoint', { id: 'abc', text: 'x' });
    expect(badId.isError).toBe(true);
    expect(badId.text).toMatch(/^hzl: [^\n]+$/);
    const both = await call(client, 'hzl_claim', { id: '1', next: true });
    expect(both.text).toBe('hzl: pass either a task id or --next, not both');
    const wrongType = await call(client, 'hzl_checkpoint', { id: 1, text: ['not', 'text'] });
    expect(wrongType.isError).toBe(true);
    const empty = await call(client, 'hzl_add', { title: '' });
    expect(empty.isError).toBe(true);
    expect(empty.text).toMatch(/^hzl: /);
    expect(snapshot(dir)).toEqual(before);
    expect((await call(client, 'hzl_list', {})).isError).toBeFalsy();
  });

  it("completes or hands off another agent's live claim only with force, and History says so", async () => {
    const repo = tempRepo();
    await hzlAsync(repo, ['task', 'add', 'Rate limiting']);
    await hzlAsync(repo, ['task', 'add', 'Docs']);
    for (const n of ['1', '2']) await hzlAsync(repo, ['task', 'claim', n, '--author', 'agent-z']);
    const client = await connect(repo, [], { HZL_AUTHOR: 'bob' });
    const refused = await call(client, 'hzl_complete', { id: '1' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/claimed by agent-z/);
    expect(readTask(repo, 1)).toContain('status: in_progress');
    const done = await call(client, 'hzl_complete', { id: '1', force: true });
    expect(done.isError).toBeFalsy();
    expect(readTask(repo, 1)).toContain('status: done');
    expect(readTask(repo, 1)).toMatch(/bob: completed .*\(claim of agent-z, --force\)/);
    expect((await call(client, 'hzl_handoff', { id: '2', note: 'over to you' })).isError).toBe(true);
    expect((await call(client, 'hzl_handoff', { id: '2', note: 'over to you', force: true })).isError).toBeFalsy();
    expect(readTask(repo, 2)).toContain('status: ready');
  });

  it('takes the directory from -C and the author from --author', async () => {
    const dir = tempRepo();
    const client = await connect('/', ['-C', dir, '--author', 'codex'], { HZL_AUTHOR: '' });
    await call(client, 'hzl_add', { title: 'From elsewhere' });
    expect((await call(client, 'hzl_claim', { id: '1' })).text).toContain('Claimed #1 for codex');
    expect(readTask(dir, 1)).toMatch(/^author: codex$/m);
  });

  it('without an author, mine is a tool error that says how to name one', async () => {
    const client = await connect(tempRepo(), [], { HZL_AUTHOR: '' });
    const r = await call(client, 'hzl_list', { mine: true });
    expect(r.isError).toBe(true);
    expect(r.text).toBe("hzl: 'mine' needs to know who you are: start 'hzl mcp' with --author NAME or HZL_AUTHOR set");
  });

  it('ends, exit 0, when the client closes its stdin', async () => {
    const r = await hzlAsync(tempRepo(), ['mcp'], { input: '' });
    expect(r).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('keeps the SDK out of the start-up bundle', () => {
    const main = readFileSync(join(ROOT, 'dist', 'main.js'), 'utf8');
    expect(main).not.toMatch(/StdioServerTransport|jsonrpc/);
  });

  it('outside a project, every tool says how to initialize, as the CLI does', async () => {
    const dir = tempRepo({ init: false });
    const client = await connect(dir);
    const r = await call(client, 'hzl_list', {});
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/^hzl: [^\n]*hzl init/);
  });
});
