// `hzl setup <agent> [--remove]`: writes what an agent reads at the start of a session (its
// instruction file, its hooks or MCP config), as hzl's own marked block or entry in each file.
// Every file's new text is worked out before any is written, so a file hzl cannot read right
// (broken JSON) stops the whole setup with nothing written.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeBytes, encodeText } from '../core/bytes.js';
import { UsageError } from '../core/errors.js';
import { printable } from '../core/validate.js';
import { writeFileAtomic } from '../store/atomic.js';
import { realPathInside } from '../store/inside.js';
import { openWorkspace } from './context.js';
import { AGENTS, type Agent, targetsOf } from './setup-targets.js';
import { defineCommand } from './spec.js';

interface Args {
  agent: string;
  remove?: boolean;
}

type Result = 'created' | 'updated' | 'removed' | 'unchanged';

interface Planned {
  path: string;
  file: string; // absolute, through any link
  before: string | undefined;
  after: string | undefined;
}

function readIfThere(file: string): string | undefined {
  return existsSync(file) ? decodeBytes(readFileSync(file)) : undefined;
}

function plan(root: string, agent: Agent, remove: boolean): Planned[] {
  return targetsOf(agent).map((target) => {
    const path = join(root, target.path);
    // CLAUDE.md is often a link to AGENTS.md: write the file it links to, keep the link.
    const file = realPathInside(root, path, target.path);
    const before = readIfThere(file);
    return { path: target.path, file, before, after: target.change(before, remove) };
  });
}

/** Folders a removal emptied, up to (not including) the project root. */
function removeEmptyFolders(root: string, file: string): void {
  for (let dir = dirname(file); dir.startsWith(`${root}/`); dir = dirname(dir)) {
    if (readdirSync(dir).length > 0) return;
    rmdirSync(dir);
  }
}

function apply(root: string, p: Planned): Result {
  if (p.after === p.before) return 'unchanged';
  if (p.after === undefined) {
    rmSync(p.file);
    removeEmptyFolders(root, p.file);
    return 'removed';
  }
  mkdirSync(dirname(p.file), { recursive: true });
  writeFileAtomic(p.file, encodeText(p.after), p.path);
  return p.before === undefined ? 'created' : 'updated';
}

export const setupCommand = defineCommand<Args>({
  command: 'setup <agent>',
  describe: 'Wire hzl into an agent: claude, codex, cursor or gemini (instructions, hooks, MCP)',
  positionals: { agent: 'claude (Claude Code), codex, cursor or gemini (Gemini CLI)' },
  options: {
    remove: { type: 'boolean', describe: 'take out what setup wrote, leaving the rest of each file as it was' },
  },
  examples: [
    ['$0 setup claude', 'session hooks in .claude/settings.json and a pointer in CLAUDE.md'],
    ['$0 setup cursor --remove', 'take it out again'],
  ],
  run: (args, ctx) => {
    const agent = String(args.agent);
    if (!(AGENTS as readonly string[]).includes(agent)) {
      throw new UsageError(
        `unknown agent '${printable(agent)}': use ${AGENTS.slice(0, -1).join(', ')} or ${AGENTS.at(-1)}`,
      );
    }
    const { project } = openWorkspace(ctx);
    const root = project.root;
    const planned = plan(root, agent as Agent, args.remove === true);
    const files = planned.map((p) => ({ path: p.path, result: apply(root, p) }));
    const changed = files.filter((f) => f.result !== 'unchanged');
    const summary = changed.length ? changed.map((f) => `${f.path} (${f.result})`).join(', ') : 'nothing to change';
    return {
      kind: 'setup',
      json: { agent, remove: args.remove === true, files },
      message: `${args.remove ? 'Removed hzl from' : 'Set up hzl for'} ${agent}: ${summary}`,
    };
  },
});
