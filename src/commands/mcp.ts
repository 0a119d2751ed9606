// `hzl mcp`: a Model Context Protocol server on stdio. The SDK lives in its own bundle
// (dist/mcp.mjs, src/commands/mcp-server.ts), loaded only here; each tool runs the same command
// declaration as the CLI, in-process, and hands back its Output.

import { loadBundle } from '../bundles.js';
import { UsageError } from '../core/errors.js';
import { makeStyle } from '../output/style.js';
import type { Ctx, Io, Output } from './context.js';
import { type CommandSpec, commandWord } from './spec.js';
import { TASK_COMMANDS } from './task/index.js';

/** What the server bundle gets from this one: a way to run `task <word>` with arguments. */
export interface ToolRunner {
  /** Runs `hzl task <word>` with parsed arguments; `stdin` is what `-` reads. */
  run(
    word: string,
    args: Record<string, unknown>,
    options: { json: boolean; stdin?: string; listMine?: boolean },
  ): Promise<Output>;
  /** Who acts, as the server was started (--author or HZL_AUTHOR), for descriptions. */
  author: string | undefined;
}

const quietIo = (stdin: string): Io => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  readStdin: async () => stdin,
});

function taskCommand(word: string): CommandSpec {
  const spec = TASK_COMMANDS.find((c) => commandWord(c) === word);
  if (!spec) throw new Error(`internal: no task command '${word}'`);
  return spec;
}

/** The server's context, narrowed for one tool call: no terminal, no colour, no printing. */
export function toolRunner(ctx: Ctx): ToolRunner {
  const author = ctx.author ?? (ctx.env.HZL_AUTHOR || undefined);
  return {
    author,
    run: async (word, args, options) => {
      const spec = taskCommand(word);
      const toolCtx: Ctx = {
        ...ctx,
        io: quietIo(options.stdin ?? ''),
        json: options.json,
        quiet: false,
        tty: false,
        style: makeStyle(false),
      };
      // `list` reads --author as "whose tasks": only when the agent asks for its own.
      if (word === 'list') {
        delete toolCtx.author;
        if (options.listMine && author === undefined) {
          throw new UsageError(
            "'mine' needs to know who you are: start 'hzl mcp' with --author NAME or HZL_AUTHOR set",
          );
        }
        if (options.listMine) toolCtx.author = author;
      }
      return spec.run({ ...args, surroundings: { cwd: ctx.dir, env: ctx.env, io: toolCtx.io } }, toolCtx);
    },
  };
}

export const mcpCommand = {
  command: 'mcp',
  describe: 'Serve the task tools to an agent over the Model Context Protocol (stdio)',
  examples: [
    ['HZL_AUTHOR=claude-code $0 mcp', 'what an agent config starts (see docs/agents.md)'],
    ['$0 -C ~/src/app mcp --author codex', 'for one repository, as one agent'],
  ],
  run: async (_args: unknown, ctx: Ctx): Promise<Output> => {
    const server = await loadBundle<typeof import('./mcp-server.js')>('mcp.mjs');
    await server.serveMcp(toolRunner(ctx), { stdin: process.stdin, stdout: process.stdout });
    return { kind: 'mcp', json: {} };
  },
} satisfies CommandSpec<object>;
