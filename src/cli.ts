// yargs, built from the command declarations, for what the grammar of src/argv.ts hands it: help,
// the version, and command words that name no command ("did you mean"). It never
// decides what a well-formed call means. It is a bundle of its own (dist/cli.mjs), loaded only
// then; the commands come from the caller, so they are not bundled twice. tests/argv.test.ts
// parses every declared option in every spelling with both and compares.

import yargs, { type Argv } from 'yargs';
import type { GlobalArgs, Surroundings } from './commands/context.js';
import type { Registry } from './commands/registry.js';
import { type CommandSpec, GLOBAL_OPTIONS, camelCase, positionalsOf } from './commands/spec.js';
import { UsageError } from './core/errors.js';

declare const HZL_VERSION: string;

export const EXIT_CODES_HELP = `Exit codes:
  0  ok (also an empty result)
  1  unexpected error (a bug: please report it)
  2  usage: bad command or flag
  3  not found
  4  conflict: already claimed, invalid transition, lock timeout
  5  invalid data: malformed task file, not initialized, a file hzl may not read or write
  6  git failure`;

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
      return y;
    },
    handler: (args: Record<string, unknown>) =>
      registry.run(spec, lastWins(spec, args) as Record<string, unknown> & GlobalArgs),
  };
}

/** A repeated single-value flag keeps its last value, as in git (yargs would make an array). */
function lastWins(spec: CommandSpec, args: Record<string, unknown>): Record<string, unknown> {
  const out = { ...args };
  for (const [name, option] of Object.entries({ ...GLOBAL_OPTIONS, ...spec.options })) {
    if (option.array) continue;
    for (const key of [name, camelCase(name), ...(option.alias ? [option.alias] : [])]) {
      const value = out[key];
      if (Array.isArray(value)) out[key] = value.at(-1);
    }
  }
  return out;
}

export async function runCli(argv: string[], surroundings: Surroundings, registry: Registry): Promise<void> {
  const printed = await consoleLogOf(() => buildParser(argv, surroundings, registry).parseAsync());
  if (argv.includes('--help')) {
    surroundings.io.stdout.write(`${printed.join('\n')}\n\n${helpFooter(argv, registry, helpWidth(surroundings))}`);
  } else if (printed.length > 0) surroundings.io.stdout.write(`${printed.join('\n')}\n`); // the version
}

/**
 * yargs writes help and the version with console.log; they are taken here and written to the
 * given stdout, so that the examples can follow help unwrapped (yargs would wrap them inside
 * their quoted strings) and a caller's own stdout gets them.
 */
async function consoleLogOf(parse: () => Promise<unknown>): Promise<string[]> {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => void printed.push(parts.join(' '));
  try {
    await parse();
  } finally {
    console.log = log;
  }
  return printed;
}

/** The terminal's width; 80 when help is piped. */
function helpWidth(surroundings: Surroundings): number {
  const stdout = surroundings.io.stdout as { isTTY?: boolean; columns?: number };
  return stdout.isTTY && stdout.columns ? stdout.columns : 80;
}

const TOP_EXAMPLES: Array<[string, string]> = [
  ['$0 task add "Implement user authentication"', 'create a task; prints its id'],
  ['$0 task claim 1 --author claude-code', 'take it'],
  ['$0 task checkpoint 1 "Designed schema"', 'record progress'],
  ['$0 completion >> ~/.bashrc', 'tab completion (see hzl completion --help)'],
];

/**
 * The examples of the command that help was asked for, each command on a line of its own and
 * never wrapped, so that it can be copied; then the exit codes.
 */
export function helpFooter(argv: string[], registry: Registry, width: number): string {
  const words = argv.filter((a) => a !== '--help');
  const group = words[0] !== undefined ? registry.groups[words[0]] : undefined;
  const named = (list: CommandSpec[], word: string | undefined) =>
    list.find((c) => c.command.split(' ')[0] === word || c.aliases?.includes(word ?? ''));
  const spec = group ? named(group.commands, words[1]) : named(registry.top, words[0]);
  const examples =
    spec?.examples ?? (group ? group.commands.slice(0, 4).flatMap((c) => c.examples.slice(0, 1)) : TOP_EXAMPLES);
  const lines = ['Examples:'];
  for (const [command, what] of examples) {
    lines.push(`  ${command.replace(/\$0/g, 'hzl')}`, ...wrapWords(what, width - 6).map((line) => `      ${line}`));
  }
  return `${lines.join('\n')}\n\n${EXIT_CODES_HELP}\n`;
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > Math.max(width, 20)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

export function buildParser(argv: string[], surroundings: Surroundings, registry: Registry): Argv {
  let parser = yargs(argv)
    .scriptName('hzl')
    .usage('hzl: a git-native task ledger for AI coding agents\n\nUsage: $0 <command> [options]')
    .parserConfiguration({
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'dot-notation': false,
    });
  for (const [name, option] of Object.entries(GLOBAL_OPTIONS))
    parser = parser.option(name, { ...option, global: true });
  parser = parser.middleware((args) => {
    (args as unknown as GlobalArgs).surroundings = surroundings;
  });
  // `task` first in help: it is what most calls are.
  for (const [name, group] of Object.entries(registry.groups)) {
    parser = parser.command(name, group.describe, (y) => {
      for (const spec of group.commands) y.command(toModule(spec, registry));
      return y.demandCommand(
        1,
        `name a ${name} command, like 'hzl ${name} ${group.commands[1]?.command.split(' ')[0] ?? ''}'`,
      );
    });
  }
  for (const spec of registry.top) parser = parser.command(toModule(spec, registry));
  return parser
    .demandCommand(1, "name a command, like 'hzl task list'")
    .strict()
    .recommendCommands()
    .version(typeof HZL_VERSION === 'string' ? HZL_VERSION : 'dev')
    .help()
    .alias('h', 'help')
    .wrap(helpWidth(surroundings))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(explainUsage(message ?? 'invalid usage', argv, registry));
    });
}

/** yargs' messages, reworded to say what was wrong and what to do, on one line. */
export function explainUsage(message: string, argv: string[], registry: Registry): string {
  const words = argv.filter((a) => !a.startsWith('-'));
  const group = words[0] !== undefined ? registry.groups[words[0]] : undefined;
  const spec = group?.commands.find((c) => c.command.split(' ')[0] === words[1] || c.aliases?.includes(words[1] ?? ''));
  const name = spec ? `hzl ${words[0]} ${spec.command.split(' ')[0]}` : group ? `hzl ${words[0]}` : 'hzl';
  const help = `see '${name} --help'`;
  const text = message.split('\n').filter(Boolean).join(' ').replace(/\s+/g, ' ');

  const suggestion = /^Did you mean (.+)\?$/.exec(text);
  if (suggestion) {
    const unknown = group ? words[1] : words[0];
    return `unknown command '${unknown}' for '${name}': did you mean '${suggestion[1]}'? ${help}`;
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(text);
  if (unknown) {
    const names = unknown[1]!.split(', ');
    const flags = names.filter((n) => argv.some((a) => a.replace(/^-+/, '').split('=')[0] === n && a.startsWith('-')));
    const options = flags.map((f) => (f.length === 1 ? `-${f}` : `--${f}`)).join(', ');
    if (flags.length) return `unknown option ${options} for '${name}'; ${help}`;
    const quoted = names.map((n) => `'${n}'`).join(', ');
    return `unexpected argument${names.length > 1 ? 's' : ''} ${quoted} for '${name}'; ${help}`;
  }
  if (/^Not enough non-option arguments/.test(text) && spec) {
    const dashed = argv.slice(2).some((a) => /^-./.test(a) && !a.startsWith('--'));
    const hint = dashed ? " (text that starts with '-' is read as an option: pass it on stdin with '-')" : '';
    return `missing arguments: usage is 'hzl ${words[0]} ${spec.command}'${hint}; ${help}`;
  }
  const missing = /^Missing required arguments?: (.+)$/.exec(text);
  if (missing)
    return `missing ${missing[1]!
      .split(', ')
      .map((n) => `--${n}`)
      .join(', ')} for '${name}'; ${help}`;
  const noValue = /^Not enough arguments following: (.+)$/.exec(text);
  if (noValue) return `--${noValue[1]} needs a value; ${help}`;
  return `${text.replace(/^./, (c) => c.toLowerCase())}; ${help}`;
}
