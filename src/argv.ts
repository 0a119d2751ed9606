// The command-line grammar: the one parser that decides what every call means. It reads the same
// command declarations yargs is built from. yargs is loaded only to answer what this grammar hands
// it: help, the version, and command words it does not know (for "did you mean").
//
// The rules, as in git and gh:
// - A word is an option only when it looks like one: `--name`, `--name=value`, or `-x` (one
//   letter). Any other word is text, even one that starts with '-' (`- shipped the fix`, `-5`, `-`).
// - An option-shaped word that no declaration names is a usage error, never text and never bundled
//   short flags: `-shipped` is not `-s -h -i …`.
// - `--` ends the options: every word after it is text.
// - Global options may stand before the command words too: `hzl -C DIR task show 1`.
// - `--no-NAME` negates a boolean option only; a repeated single-value option keeps its last value.

import type { GlobalArgs, Surroundings } from './commands/context.js';
import { completeCommand } from './commands/complete.js';
import { GROUPS, lookupCommand } from './commands/registry.js';
import {
  type CommandSpec,
  GLOBAL_OPTIONS,
  type OptionSpec,
  camelCase,
  commandWord,
  positionalsOf,
} from './commands/spec.js';
import { UsageError } from './core/errors.js';
import { shellCommand } from './core/shell.js';
import { nearest } from './core/suggest.js';

export type Parsed =
  | { kind: 'run'; spec: CommandSpec; args: Record<string, unknown> & GlobalArgs }
  /** yargs answers: help or the version (argv rewritten for it), or words that name no command. */
  | { kind: 'yargs'; argv: string[] };

const LONG_OPTION = /^--[A-Za-z][A-Za-z0-9-]*(=[\s\S]*)?$/;
const SHORT_OPTION = /^-[A-Za-z][A-Za-z0-9]*$/;

export function isOptionShaped(word: string): boolean {
  return LONG_OPTION.test(word) || SHORT_OPTION.test(word);
}

function spellingOf(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** Every spelling of the options `options` declares (`--name`, `-n`), with the option's name. */
export function spellings(options: Record<string, OptionSpec>): Map<string, [string, OptionSpec]> {
  const byName = new Map<string, [string, OptionSpec]>();
  for (const [name, option] of Object.entries(options)) {
    byName.set(spellingOf(name), [name, option]);
    if (option.alias) byName.set(spellingOf(option.alias), [name, option]);
  }
  return byName;
}

const GLOBAL_SPELLINGS = spellings(GLOBAL_OPTIONS);

export function parseArgv(argv: string[], surroundings: Surroundings): Parsed {
  // The completion scripts pass the words typed so far as they are: none of them is an option here.
  if (argv[0] === '__complete') {
    return {
      kind: 'run',
      spec: completeCommand as unknown as CommandSpec,
      args: { _: [], $0: 'hzl', words: argv.slice(1), surroundings },
    };
  }
  const end = argv.indexOf('--');
  const optionWords = end === -1 ? argv : argv.slice(0, end);
  const { words, commandAt } = commandWords(argv, end === -1 ? argv.length : end);
  const found = lookupCommand(words);
  if (optionWords.includes('--help') || optionWords.includes('-h')) {
    return { kind: 'yargs', argv: [...words.slice(0, found?.words ?? words.length), '--help'] };
  }
  if (asksVersion(optionWords, found?.spec)) return { kind: 'yargs', argv: ['--version'] };
  if (!found) {
    refuseNearMisses(words);
    return { kind: 'yargs', argv };
  }

  const { spec } = found;
  const last = commandAt.at(-1)!;
  const grammar = new Grammar(argv, spec, words.slice(0, found.words), last);
  // Global options before the command words, then the command's own options and positionals.
  for (let i = 0; i < last; i++) if (!commandAt.includes(i)) i = grammar.option(i, last);
  const stop = end === -1 ? argv.length : end;
  for (let i = last + 1; i < stop; i++) {
    if (isOptionShaped(argv[i]!)) i = grammar.option(i, stop);
    else grammar.positionals.push(argv[i]!);
  }
  if (end !== -1) grammar.positionals.push(...argv.slice(end + 1));
  return { kind: 'run', spec, args: grammar.args(surroundings) };
}

/**
 * `--version` or `-v` where an option stands, not as the value an option waits for: in
 * `-d -v` the description is missing (the grammar says so), no version was asked for.
 */
function asksVersion(optionWords: string[], spec: CommandSpec | undefined): boolean {
  const byName = spellings({ ...GLOBAL_OPTIONS, ...spec?.options });
  for (let i = 0; i < optionWords.length; i++) {
    const word = optionWords[i]!;
    if (word === '--version' || word === '-v') return true;
    if (byName.get(word)?.[1].type === 'string') i++;
  }
  return false;
}

/** Calls that name no command but whose meaning is clear enough to say what to type instead. */
function refuseNearMisses(words: string[]): void {
  const [first] = words;
  const group = Object.entries(GROUPS).find(([, { commands }]) =>
    commands.some((c) => commandWord(c) === first || c.aliases?.includes(first ?? '')),
  );
  if (first !== undefined && group) {
    throw new UsageError(
      `unknown command '${first}' for 'hzl': did you mean 'hzl ${group[0]} ${first}'? see 'hzl ${group[0]} --help'`,
    );
  }
}

/**
 * The command words (`task`, `show`) and where each of them stands in argv, skipping the global
 * options before them. Parsing stops at the first word that is not a global option or a word.
 */
function commandWords(argv: string[], end: number): { words: string[]; commandAt: number[] } {
  const words: string[] = [];
  const at: number[] = [];
  for (let i = 0; i < end && words.length < 2; i++) {
    const word = argv[i]!;
    if (!isOptionShaped(word)) {
      words.push(word);
      at.push(i);
      if (lookupCommand(words)?.words === words.length) break;
      continue;
    }
    // An unknown option here is skipped: the grammar refuses it once the command is known.
    const known = GLOBAL_SPELLINGS.get(word);
    if (known?.[1].type !== 'string') continue;
    if (i + 1 >= end) throw new UsageError(`${word} needs a value, as in '${word} VALUE'; see 'hzl --help'`);
    i++;
  }
  const found = lookupCommand(words);
  return { words, commandAt: at.slice(0, found?.words ?? at.length) };
}

/** The options and positionals of one call, as they are read. */
class Grammar {
  readonly values: Record<string, unknown> = {};
  readonly positionals: string[] = [];
  private readonly options: Record<string, OptionSpec>;
  private readonly byName: Map<string, [string, OptionSpec]>;
  private readonly where: string;

  constructor(
    private readonly argv: string[],
    private readonly spec: CommandSpec,
    words: string[],
    /** Where the last command word stands: options before it are global ones. */
    private readonly commandEnd: number,
  ) {
    this.options = { ...GLOBAL_OPTIONS, ...spec.options };
    this.byName = spellings(this.options);
    this.where = ['hzl', ...words].join(' ');
  }

  private get help(): string {
    return `see '${this.where} --help'`;
  }

  /** Reads the option at argv[i] (and its value, before `limit`), returning the last index used. */
  option(i: number, limit: number): number {
    const word = this.argv[i]!;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = eq === -1 ? word : word.slice(0, eq);
    const known = this.byName.get(flag) ?? this.negation(flag, eq !== -1);
    if (!known) throw new UsageError(this.unknown(flag, i));
    const [name, option] = known;
    if (option.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`${flag} takes no value (found '${word}'); ${this.help}`);
      this.values[name] = !flag.startsWith('--no-') || this.byName.has(flag);
      return i;
    }
    let value: string;
    if (eq !== -1) value = word.slice(eq + 1);
    else {
      const next = i + 1 < limit ? this.argv[i + 1] : undefined;
      if (next === undefined) throw new UsageError(`${flag} needs a value, as in '${flag} VALUE'; ${this.help}`);
      if (isOptionShaped(next)) {
        // Only a long option takes its value attached (`-C` is a folder: `./-x` names the same one).
        const attached = name.length > 1 ? `--${name}=${next}` : `${flag} ./${next}`;
        throw new UsageError(
          `${flag} needs a value before '${next}': ` +
            `a value that starts with '-' must be written as '${attached}'; ${this.help}`,
        );
      }
      value = next;
      i++;
    }
    if (option.choices && !option.choices.includes(value)) {
      throw new UsageError(
        `invalid value '${value}' for ${flag}: choose one of ${option.choices.join(', ')}; ${this.help}`,
      );
    }
    this.values[name] = option.array ? [...((this.values[name] as string[] | undefined) ?? []), value] : value;
    return i;
  }

  /** `--no-NAME` for a boolean NAME; for any other option it is refused, with what to write. */
  private negation(flag: string, withValue: boolean): [string, OptionSpec] | undefined {
    if (!flag.startsWith('--no-') || withValue) return undefined;
    const known = this.byName.get(spellingOf(flag.slice(5)));
    if (known && known[1].type !== 'boolean') {
      throw new UsageError(
        `${flag} is not an option: ${spellingOf(known[0])} takes a value and cannot be negated; ${this.help}`,
      );
    }
    return known;
  }

  /** Says what was meant: a near spelling, or else the same call with the word as text after `--`. */
  private unknown(flag: string, i: number): string {
    const near = flag.startsWith('--')
      ? nearest(
          flag,
          [...this.byName.keys()].filter((k) => k.startsWith('--')),
        )
      : undefined;
    if (near) return `unknown option '${flag}' for '${this.where}': did you mean '${near}'? ${this.help}`;
    const takesText = positionalsOf(this.spec).some((p) => p.variadic);
    if (i < this.commandEnd || !takesText) return `unknown option '${flag}' for '${this.where}'; ${this.help}`;
    const asText = shellCommand([
      'hzl',
      ...this.argv.slice(0, i),
      '--',
      ...this.argv.slice(i).filter((w) => w !== '--'),
    ]);
    return `unknown option '${flag}' for '${this.where}'; text that starts with '-' goes after '--': ${asText}`;
  }

  /** The argument object yargs would build: each option under its name, camelCase and alias. */
  args(surroundings: Surroundings): Record<string, unknown> & GlobalArgs {
    const { options, spec } = this;
    for (const [name, option] of Object.entries(options)) {
      if (option.demandOption && this.values[name] === undefined) {
        throw new UsageError(`missing --${name} for '${this.where}'; ${this.help}`);
      }
    }
    const args: Record<string, unknown> = { _: this.where.split(' ').slice(1), $0: 'hzl' };
    const usage = `usage is '${this.where} ${spec.command.split(' ').slice(1).join(' ')}'`;
    for (const p of positionalsOf(spec)) {
      if (p.required && this.positionals.length === 0)
        throw new UsageError(`missing <${p.name}>: ${usage}; ${this.help}`);
      if (p.variadic) args[p.name] = this.positionals.splice(0);
      else if (this.positionals.length > 0) args[p.name] = this.positionals.shift();
    }
    if (this.positionals.length > 0) {
      const extra = this.positionals.map((p) => `'${p}'`).join(', ');
      const plural = this.positionals.length > 1 ? 's' : '';
      throw new UsageError(`unexpected argument${plural} ${extra} for '${this.where}': ${usage}; ${this.help}`);
    }
    for (const [name, value] of Object.entries(this.values)) {
      args[name] = value;
      args[camelCase(name)] = value;
      const alias = options[name]?.alias;
      if (alias) args[alias] = value;
    }
    return { ...args, surroundings } as Record<string, unknown> & GlobalArgs;
  }
}
