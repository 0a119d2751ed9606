// A command is declared as data: its words, positionals, options and examples. yargs is built
// from this (help, errors, completion), and so is the fast path that skips loading yargs.

import type { Ctx, GlobalArgs, Output } from './context.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  alias?: string;
  describe: string;
  array?: boolean;
  demandOption?: boolean;
  choices?: readonly string[];
}

export interface PositionalSpec {
  name: string;
  required: boolean;
  variadic: boolean;
  describe: string;
}

export interface CommandSpec<A = Record<string, unknown>> {
  /** yargs syntax: `claim <id>`, `checkpoint <id> <text..>`, `changes [base]` */
  command: string;
  aliases?: string[];
  describe: string;
  positionals?: Record<string, string>; // name → description
  options?: Record<string, OptionSpec>;
  examples: Array<[string, string]>;
  run(args: A & GlobalArgs, ctx: Ctx): Promise<Output> | Output;
}

export function defineCommand<A>(spec: CommandSpec<A>): CommandSpec<A> {
  return spec;
}

export function commandWord(spec: CommandSpec<never>): string {
  return spec.command.split(' ')[0]!;
}

export function positionalsOf(spec: CommandSpec<never>): PositionalSpec[] {
  return spec.command
    .split(' ')
    .slice(1)
    .map((word) => {
      const variadic = word.includes('..');
      const name = word.replace(/[<>[\].]/g, '');
      return { name, required: word.startsWith('<'), variadic, describe: spec.positionals?.[name] ?? '' };
    });
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', describe: 'print one JSON document (see docs/json.md)' },
  C: { type: 'string', describe: 'run as if hzl was started in this directory' },
  author: { type: 'string', describe: 'who is acting (writes), or whose tasks (list)' },
  quiet: { type: 'boolean', alias: 'q', describe: 'print data only, no messages' },
  color: { type: 'boolean', describe: 'colour on a terminal; --no-color turns it off' },
  commit: {
    type: 'boolean',
    describe: 'commit the task files a write touched (--no-commit: do not, whatever the config)',
  },
  offline: {
    type: 'boolean',
    describe: 'with `remote` set: do not reach it; writes are reconciled by hzl sync (docs/clones.md)',
  },
};

export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
