// The full parser: yargs, built from the command declarations. Loaded only when the fast path
// (src/fast-path.ts) declines: help, version, completion, and every usage error. It is a bundle
// of its own (dist/cli.mjs); the commands come from the caller, so they are not bundled twice.

import yargs, { type Argv } from 'yargs';
import type { GlobalArgs, Surroundings } from './commands/context.js';
import type { Registry } from './commands/registry.js';
import { type CommandSpec, GLOBAL_OPTIONS, positionalsOf } from './commands/spec.js';
import { UsageError } from './core/errors.js';

declare const HZL_VERSION: string;

export const EXIT_CODES_HELP = `Exit codes:
  0  ok (also an empty result)     4  conflict: already claimed, invalid transition, lock timeout
  1  unexpected error              5  invalid data: malformed task file, not initialized
  2  usage: bad command or flag    6  git failure
  3  not found`;

function toModule(spec: CommandSpec, registry: Registry) {
  return {
    command: spec.command,
    aliases: spec.aliases ?? [],
    describe: spec.describe,
    builder: (y: Argv) => {
      for (const p of positionalsOf(spec)) {
        y.positional(p.name, { type: 'string', array: p.variadic, describe: p.describe });
      }
      for (const [name, option] of Object.entries(spec.options ?? {})) y.option(name, option);
      for (const [cmd, what] of spec.examples) y.example(cmd, what);
      return y;
    },
    handler: (args: unknown) => registry.run(spec, args as Record<string, unknown> & GlobalArgs),
  };
}

export async function runCli(argv: string[], surroundings: Surroundings, registry: Registry): Promise<void> {
  let parser = yargs(argv)
    .scriptName('hzl')
    .usage('hzl: a git-native task ledger for AI coding agents\n\nUsage: $0 <command> [options]')
    .parserConfiguration({
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'dot-notation': false,
      'duplicate-arguments-array': false,
    });
  for (const [name, option] of Object.entries(GLOBAL_OPTIONS)) parser = parser.option(name, { ...option, global: true });
  parser = parser.middleware((args) => {
    (args as unknown as GlobalArgs).surroundings = surroundings;
  });
  for (const spec of registry.top) parser = parser.command(toModule(spec, registry));
  for (const [name, group] of Object.entries(registry.groups)) {
    parser = parser.command(name, group.describe, (y) => {
      for (const spec of group.commands) y.command(toModule(spec, registry));
      return y.demandCommand(1, `name a ${name} command, like 'hzl ${name} ${group.commands[1]?.command.split(' ')[0] ?? ''}'`);
    });
  }
  await parser
    .demandCommand(1, "name a command, like 'hzl task list'")
    .strict()
    .recommendCommands()
    .epilogue(EXIT_CODES_HELP)
    .version(typeof HZL_VERSION === 'string' ? HZL_VERSION : 'dev')
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(`${(message ?? 'invalid usage').split('\n').filter(Boolean).join(' ')}; see 'hzl --help'`);
    })
    .parseAsync();
}
