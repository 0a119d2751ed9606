// Every command, by the words that invoke it: `init`, `task show`, `task create` (an alias).

import { boardCommand } from './board.js';
import { changesCommand } from './changes.js';
import { completionCommand } from './completion.js';
import { type GlobalArgs, runCommand } from './context.js';
import { doctorCommand } from './doctor.js';
import { initCommand } from './init.js';
import { mcpCommand } from './mcp.js';
import { mergeDriverCommand } from './merge-driver.js';
import { primeCommand } from './prime.js';
import { serveCommand } from './serve.js';
import { setupCommand } from './setup.js';
import { syncCommand } from './sync.js';
import { type CommandSpec, commandWord } from './spec.js';
import { TASK_COMMANDS } from './task/index.js';

export const TOP_COMMANDS = [
  initCommand,
  primeCommand,
  doctorCommand,
  mergeDriverCommand,
  boardCommand,
  changesCommand,
  completionCommand,
  serveCommand,
  mcpCommand,
  setupCommand,
  syncCommand,
] as unknown as CommandSpec[];

export const GROUPS: Record<string, { describe: string; commands: CommandSpec[] }> = {
  task: { describe: 'Create, claim, checkpoint and finish tasks', commands: TASK_COMMANDS },
};

/** The command named by the first words of argv, and how many words that took. */
export function lookupCommand(argv: string[]): { spec: CommandSpec; words: number } | undefined {
  const named = (list: CommandSpec[], word: string | undefined) =>
    list.find((c) => commandWord(c) === word || c.aliases?.includes(word ?? ''));
  const top = named(TOP_COMMANDS, argv[0]);
  if (top) return { spec: top, words: 1 };
  const group = argv[0] !== undefined ? GROUPS[argv[0]] : undefined;
  const sub = group ? named(group.commands, argv[1]) : undefined;
  return sub ? { spec: sub, words: 2 } : undefined;
}

/** What the yargs parser (src/cli.ts) needs from the rest of the program. */
export interface Registry {
  top: CommandSpec[];
  groups: typeof GROUPS;
  run(spec: CommandSpec, args: Record<string, unknown> & GlobalArgs): Promise<void>;
}

export const REGISTRY: Registry = { top: TOP_COMMANDS, groups: GROUPS, run: runCommand };
