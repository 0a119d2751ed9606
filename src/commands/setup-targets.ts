// What `hzl setup <agent>` writes, per agent: each file as a change of its text (undefined: the
// file does not exist or should not), for setting up and for removing.

import { isDeepStrictEqual } from 'node:util';
import {
  CLAUDE_HOOKS,
  CURSOR_HOOKS,
  GEMINI_HOOKS,
  type HookTable,
  type Json,
  hooksProblem,
  mcpServersProblem,
  withHooks,
  withMcpServer,
  withoutHooks,
  withoutMcpServer,
} from '../core/agent-config.js';
import { InvalidDataError } from '../core/errors.js';
import { CommentInTheWay, type JsonText, editJsonText, parseJsonText } from '../core/json-text.js';
import { type Markers, withBlock, withoutBlock } from '../core/marked-block.js';
import { AGENTS_MARKERS, AGENT_GUIDE } from '../format/templates.js';

export const AGENTS = ['claude', 'codex', 'cursor', 'gemini'] as const;
export type Agent = (typeof AGENTS)[number];

export interface FileChange {
  path: string; // relative to the project root, with '/'
  change(current: string | undefined, remove: boolean): string | undefined;
}

/**
 * AGENTS.md keeps the markers `hzl init --agents` writes, so both refresh the one block. The
 * other agents' blocks have markers of their own, so that they can share a file with it (CLAUDE.md
 * is often a link to AGENTS.md) without one setup taking the other's block for its own.
 */
function markdown(agent: Agent): Markers {
  if (agent === 'codex') return AGENTS_MARKERS;
  const beginPrefix = `<!-- hzl:begin (written by \`hzl setup ${agent}\``;
  return {
    beginPrefix,
    begin: `${beginPrefix}; a rerun replaces it, --remove takes it out) -->`,
    end: `<!-- hzl:end (hzl setup ${agent}) -->`,
  };
}

const toml: Markers = {
  beginPrefix: '# hzl:begin',
  begin: '# hzl:begin (written by `hzl setup codex`; a rerun replaces it, --remove takes it out)',
  end: '# hzl:end',
};

const CLAUDE_POINTER = `## Tasks: hzl

This repository tracks work with hzl (\`.hzl/tasks/\`). A session-start hook (\`hzl prime --hook\`)
puts your open tasks and their newest checkpoints into your context; \`hzl prime\` prints the whole
workflow. Checkpoint as you go (\`hzl task checkpoint N "…"\`), and before you stop, complete the
task or hand it off (\`hzl task handoff N "Done: … Remaining: … See: …"\`).
`;

const MCP_NOTE =
  '\nThe same steps are MCP tools (`hzl_list`, `hzl_show`, `hzl_claim`, `hzl_checkpoint`, `hzl_handoff`, ' +
  '`hzl_complete`, `hzl_add`) from the `hzl` server.\n';

function block(path: string, markers: Markers, body: string): FileChange {
  return {
    path,
    change: (current, remove) => {
      if (remove) {
        if (current === undefined) return undefined;
        const next = withoutBlock(current, markers);
        return next === '' ? undefined : next;
      }
      return withBlock(current ?? '', body, markers);
    },
  };
}

/** What hzl keeps in a JSON settings file: how to check its shape, add hzl's part, take it out. */
interface Settings {
  problem(v: unknown): string | undefined;
  add(v: Json): Json;
  drop(v: Json): Json;
  /** What a new file holds besides hzl's part (and what, left alone, means the file can go). */
  initial?: Json;
}

const hookSettings = (table: HookTable, initial?: Json): Settings => ({
  problem: (v) => hooksProblem(v, table),
  add: (v) => withHooks(v, table),
  drop: (v) => withoutHooks(v, table),
  ...(initial ? { initial } : {}),
});

const mcpSettings: Settings = { problem: mcpServersProblem, add: withMcpServer, drop: withoutMcpServer };

/** Gemini CLI keeps its hooks and its MCP servers in one file. */
const geminiSettings: Settings = {
  problem: (v) => mcpServersProblem(v) ?? hooksProblem(v, GEMINI_HOOKS),
  add: (v) => withHooks(withMcpServer(v), GEMINI_HOOKS),
  drop: (v) => withoutHooks(withoutMcpServer(v), GEMINI_HOOKS),
};

/** The call that redoes this setup, for advice after a fix by hand. */
const again = (agent: Agent, remove: boolean) => `'hzl setup ${agent}${remove ? ' --remove' : ''}' again`;

function json(agent: Agent, path: string, { problem, add, drop, initial = {} }: Settings): FileChange {
  return {
    path,
    change: (current, remove) => {
      if (current === undefined && remove) return undefined;
      const doc = current === undefined ? undefined : parseJson(path, current, again(agent, remove));
      const parsed = doc?.value ?? initial;
      const why = problem(parsed);
      if (why) throw new InvalidDataError(`${path} ${why}; fix it by hand, then run ${again(agent, remove)}`);
      const next = remove ? drop(parsed as Json) : add(parsed as Json);
      // Nothing left: the file goes, unless it holds comments (the user's words: kept, around `{}`).
      const empty = Object.keys(next).length === 0 || isDeepStrictEqual(next, initial);
      if (remove && empty && (doc === undefined || doc.text === doc.blanked)) return undefined;
      if (doc === undefined) return `${JSON.stringify(next, null, 2)}\n`;
      try {
        return editJsonText(doc, next); // only what changes is edited: the rest keeps its bytes
      } catch (err) {
        if (!(err instanceof CommentInTheWay)) throw err;
        throw new InvalidDataError(
          `${path} has a comment inside hzl's entry (or between it and its neighbour), which would be lost; ` +
            `move the comment, then run ${again(agent, remove)}`,
        );
      }
    },
  };
}

function parseJson(path: string, text: string, redo: string): JsonText {
  try {
    return parseJsonText(text);
  } catch (err) {
    throw new InvalidDataError(
      `${path} is not valid JSON (${(err as Error).message}); fix it or move it aside, then run ${redo}`,
    );
  }
}

/** A file hzl owns outright: written whole, removed whole (only while it still holds hzl's mark). */
function owned(path: string, text: string, mark: string): FileChange {
  return {
    path,
    change: (current, remove) =>
      remove ? (current === undefined || !current.includes(mark) ? current : undefined) : text,
  };
}

const CURSOR_RULE = `---
description: Track work with hzl (claim, checkpoint, hand off)
alwaysApply: true
---
<!-- written by \`hzl setup cursor\`; a rerun replaces this file, --remove deletes it -->
${AGENT_GUIDE}${MCP_NOTE}`;

export function targetsOf(agent: Agent): FileChange[] {
  switch (agent) {
    case 'claude':
      return [
        json(agent, '.claude/settings.json', hookSettings(CLAUDE_HOOKS)),
        block('CLAUDE.md', markdown(agent), CLAUDE_POINTER),
      ];
    case 'codex':
      return [
        block('AGENTS.md', markdown(agent), AGENT_GUIDE),
        block('.codex/config.toml', toml, '[mcp_servers.hzl]\ncommand = "hzl"\nargs = ["mcp"]\n'),
      ];
    case 'cursor':
      return [
        owned('.cursor/rules/hzl.mdc', CURSOR_RULE, 'written by `hzl setup cursor`'),
        json(agent, '.cursor/mcp.json', mcpSettings),
        json(agent, '.cursor/hooks.json', hookSettings(CURSOR_HOOKS, { version: 1 })),
      ];
    case 'gemini':
      return [
        block('GEMINI.md', markdown(agent), `${AGENT_GUIDE}${MCP_NOTE}`),
        json(agent, '.gemini/settings.json', geminiSettings),
      ];
  }
}
