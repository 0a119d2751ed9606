// The MCP server (its own bundle, dist/mcp.mjs, with the SDK and zod). Seven tools cover the
// workflow: find work, read a task, claim, checkpoint, hand off, complete, add. Each runs the CLI's
// command in-process (see mcp.ts); an hzl error comes back as a tool error with the CLI's line.

import type { Readable, Writable } from 'node:stream';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Output } from './context.js';
import type { ToolRunner } from './mcp.js';

declare const HZL_VERSION: string;

const id = z.string().describe('task id, like 1');
const force = z.boolean().optional().describe("end another agent's live claim (History says so)");

/** Errors from the main bundle: its own error classes, so no instanceof. */
function hzlMessage(err: unknown): string {
  const isHzl = err instanceof Error && typeof (err as { exitCode?: unknown }).exitCode === 'number';
  if (isHzl) return `hzl: ${err.message}`;
  return `hzl: unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

/** The human text an agent reads: data, then the message, then any warnings. */
function compactText(out: Output): string {
  const parts = [out.text?.trimEnd(), out.message, ...(out.warnings ?? []).map((w) => `warning: ${w}`)];
  return parts.filter((p) => p).join('\n') || 'Done.';
}

function result(text: string, json: Record<string, unknown>): CallToolResult {
  const structured = Object.keys(json).length > 0;
  return { content: [{ type: 'text', text }], ...(structured ? { structuredContent: json } : {}) };
}

type Call = (args: Record<string, unknown>) => Promise<CallToolResult>;

/** A tool call as a CLI call: any hzl error is a tool error, never a crash of the server. */
function guarded(call: Call): Call {
  return async (args) => {
    try {
      return await call(args);
    } catch (err) {
      return { isError: true, content: [{ type: 'text', text: hzlMessage(err) }] };
    }
  };
}

/** A read: the human text for the agent, and the command's JSON as structured content. */
function read(
  runner: ToolRunner,
  word: string,
  toArgs: (a: Record<string, unknown>) => Record<string, unknown>,
  listMine?: (a: Record<string, unknown>) => boolean,
): Call {
  return async (a) => {
    const options = { listMine: listMine?.(a) ?? false };
    const text = await runner.run(word, toArgs(a), { ...options, json: false });
    const json = await runner.run(word, toArgs(a), { ...options, json: true });
    return result(compactText(text), json.json);
  };
}

/** A write: its message for the agent, and its JSON (action, changed, task). */
function write(
  runner: ToolRunner,
  word: string,
  toArgs: (a: Record<string, unknown>) => Record<string, unknown>,
  stdin?: (a: Record<string, unknown>) => string,
): Call {
  return async (a) => {
    const out = await runner.run(word, toArgs(a), { json: false, ...(stdin ? { stdin: stdin(a) } : {}) });
    return result(compactText(out), out.json);
  };
}

const defined = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function registerTools(server: McpServer, runner: ToolRunner): void {
  const tool = (name: string, description: string, inputSchema: z.ZodRawShape, call: Call) =>
    server.registerTool(name, { description, inputSchema }, guarded(call) as never);

  tool(
    'hzl_list',
    'List open tasks (id, status, priority, title). available: only claimable ones; mine: only yours.',
    {
      available: z.boolean().optional(),
      mine: z.boolean().optional(),
      tag: z.string().optional(),
      status: z.string().optional().describe('e.g. in_progress or ready,blocked'),
    },
    read(
      runner,
      'list',
      (a) => defined({ available: a.available, tag: a.tag, status: a.status === undefined ? undefined : [a.status] }),
      (a) => a.mine === true,
    ),
  );
  tool(
    'hzl_show',
    'A task with every checkpoint and its handoff note: read before resuming.',
    { id },
    read(runner, 'show', (a) => ({ id: a.id })),
  );
  tool(
    'hzl_claim',
    'Claim a task (id), or the best available one (next: true, optionally by tag). It becomes yours, in_progress.',
    { id: id.optional(), next: z.boolean().optional(), tag: z.string().optional() },
    write(runner, 'claim', (a) => defined({ id: a.id, next: a.next, tag: a.tag })),
  );
  tool(
    'hzl_checkpoint',
    'Record progress on a task you hold: done, next, decisions, files.',
    { id, text: z.string() },
    write(
      runner,
      'checkpoint',
      (a) => ({ id: a.id, text: ['-'] }),
      (a) => String(a.text),
    ),
  );
  tool(
    'hzl_handoff',
    'Stop work with a note for the next agent (done, remaining, where to look); releases the task.',
    { id, note: z.string(), to: z.string().optional().describe('agent to take it next'), force },
    write(
      runner,
      'handoff',
      (a) => defined({ id: a.id, note: ['-'], to: a.to, force: a.force }),
      (a) => String(a.note),
    ),
  );
  tool(
    'hzl_complete',
    'Mark a task done, with an optional closing note.',
    { id, message: z.string().optional(), force },
    write(runner, 'complete', (a) => defined({ id: a.id, message: a.message, force: a.force })),
  );
  tool(
    'hzl_add',
    'Create a task; returns its id.',
    {
      title: z.string(),
      description: z.string().optional(),
      priority: z.string().optional().describe('0-3, higher is more urgent'),
      tags: z.string().optional().describe('comma-separated'),
      parent: z.string().optional().describe('parent task id'),
    },
    write(runner, 'add', (a) =>
      defined({ title: [a.title], description: a.description, priority: a.priority, tags: a.tags, parent: a.parent }),
    ),
  );
}

/** Serves until the client closes stdin. */
export async function serveMcp(runner: ToolRunner, streams: { stdin: Readable; stdout: Writable }): Promise<void> {
  const server = new McpServer({ name: 'hzl', version: typeof HZL_VERSION === 'string' ? HZL_VERSION : 'dev' });
  registerTools(server, runner);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  await server.connect(new StdioServerTransport(streams.stdin, streams.stdout));
  streams.stdin.once('end', () => void server.close());
  await closed;
}
