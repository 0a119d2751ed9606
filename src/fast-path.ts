// Most calls are well-formed: `hzl task show 1`, `hzl task checkpoint 1 "…"`. For those, this
// strict parser reads the same command declarations yargs is built from and runs the command
// without loading yargs (which alone costs more than half of Node's start-up). Anything it is
// not sure about (help, version, unknown or malformed flags, missing arguments) returns
// undefined, and the full yargs parser takes over, with its messages and suggestions.

import type { GlobalArgs, Surroundings } from './commands/context.js';
import { lookupCommand } from './commands/registry.js';
import { type CommandSpec, GLOBAL_OPTIONS, type OptionSpec, camelCase, positionalsOf } from './commands/spec.js';

export interface FastParse {
  spec: CommandSpec;
  args: Record<string, unknown> & GlobalArgs;
}

/** Every spelling of the options `options` declares (`--name`, `-n`), with the option's name. */
function spellings(options: Record<string, OptionSpec>): Map<string, [string, OptionSpec]> {
  const byName = new Map<string, [string, OptionSpec]>();
  for (const [name, option] of Object.entries(options)) {
    byName.set(name.length === 1 ? `-${name}` : `--${name}`, [name, option]);
    if (option.alias) byName.set(option.alias.length === 1 ? `-${option.alias}` : `--${option.alias}`, [name, option]);
  }
  return byName;
}

export function fastParse(argv: string[], surroundings: Surroundings): FastParse | undefined {
  const found = lookupCommand(argv);
  if (!found) return undefined;
  const { spec, words } = found;
  const options = { ...GLOBAL_OPTIONS, ...spec.options };
  const byName = spellings(options);

  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const rest = argv.slice(words);
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (token === '--') {
      // As in getopt, git and gh: everything after `--` is text, even `-x` (yargs cannot do this).
      positionals.push(...rest.slice(i + 1));
      break;
    }
    if (token === '-' || !token.startsWith('-')) {
      positionals.push(token);
      continue;
    }
    const negated = token.startsWith('--no-') ? byName.get(`--${token.slice(5)}`) : undefined;
    if (negated && negated[1].type === 'boolean' && !byName.has(token)) {
      values[negated[0]] = false;
      continue;
    }
    const eq = token.indexOf('=');
    const flag = token.startsWith('--') && eq !== -1 ? token.slice(0, eq) : token;
    const known = byName.get(flag);
    if (!known) return undefined;
    const [name, option] = known;
    if (option.type === 'boolean') {
      if (eq !== -1 && token.startsWith('--')) return undefined;
      values[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1 && token.startsWith('--')) value = token.slice(eq + 1);
    else {
      value = rest[i + 1];
      if (value === undefined || value.startsWith('-')) return undefined;
      i++;
    }
    if (option.choices && !option.choices.includes(value)) return undefined;
    values[name] = option.array ? [...((values[name] as string[] | undefined) ?? []), value] : value;
  }
  for (const [name, option] of Object.entries(options)) {
    if (option.demandOption && values[name] === undefined) return undefined;
  }

  const args: Record<string, unknown> = { _: argv.slice(0, words), $0: 'hzl' };
  const declared = positionalsOf(spec);
  for (const p of declared) {
    if (p.variadic) {
      if (p.required && positionals.length === 0) return undefined;
      args[p.name] = positionals.splice(0);
    } else {
      const value = positionals.shift();
      if (value === undefined && p.required) return undefined;
      if (value !== undefined) args[p.name] = value;
    }
  }
  if (positionals.length > 0) return undefined; // yargs --strict refuses extra words
  for (const [name, value] of Object.entries(values)) {
    args[name] = value;
    args[camelCase(name)] = value;
    const alias = options[name]?.alias;
    if (alias) args[alias] = value;
  }
  return { spec, args: { ...args, surroundings } as Record<string, unknown> & GlobalArgs };
}

/**
 * An option that takes a value but is not given one, in a command line the fast path declined:
 * at the end, or followed by a word that starts with '-', which yargs would read as more options
 * (`-d -x` would set -x). Said before yargs runs, so that its confusing messages are not the answer.
 */
export function missingValue(argv: string[]): string | undefined {
  const options = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (options.some((a) => a === '--help' || a === '-h' || a === '--version')) return undefined; // help wins
  const found = lookupCommand(argv);
  const byName = spellings({ ...GLOBAL_OPTIONS, ...(found?.spec.options ?? {}) });
  const help = `see '${['hzl', ...argv.slice(0, found?.words ?? 0), '--help'].join(' ')}'`;
  for (let i = found?.words ?? 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--') break;
    const known = byName.get(token);
    if (!known || known[1].type === 'boolean') continue;
    const [name] = known;
    const next = argv[i + 1];
    if (next === undefined) return `${token} needs a value, as in '${token} VALUE'; ${help}`;
    // A negative number is a value to yargs too (`-p -1`: then 'invalid priority').
    if (next.startsWith('-') && next !== '-' && !/^-\d/.test(next)) {
      // Only a long option takes its value attached (`-C` is a folder: `./-x` names the same one).
      const attached = name.length > 1 ? `--${name}=${next}` : `${token} ./${next}`;
      return `${token} needs a value before '${next}': a value that starts with '-' must be written as '${attached}'; ${help}`;
    }
    i++;
  }
  return undefined;
}
