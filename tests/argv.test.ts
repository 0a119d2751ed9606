// One grammar decides what a call means (src/argv.ts); yargs (src/cli.ts) only answers help,
// completion and unknown words. Both are built from the command declarations, so here every
// declared option of every command, in every spelling, is generated from those declarations and
// parsed by both: they must read each well-formed call the same. Calls that are not well-formed
// are refused by the grammar with a usage error (exit 2), and the CLI tests below show that no
// text ever turns into flags.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseArgv } from '../src/argv.js';
import { buildParser } from '../src/cli.js';
import type { Surroundings } from '../src/commands/context.js';
import { GROUPS, type Registry, TOP_COMMANDS } from '../src/commands/registry.js';
import {
  type CommandSpec,
  GLOBAL_OPTIONS,
  type OptionSpec,
  camelCase,
  commandWord,
  positionalsOf,
} from '../src/commands/spec.js';
import { UsageError } from '../src/core/errors.js';
import { baseEnv, HZL, hzl, readTask, runInProcess, tempDir, tempRepo } from './helpers.js';

runInProcess();

const surroundings: Surroundings = {
  cwd: '/',
  env: {},
  io: { stdout: { write: () => true }, stderr: { write: () => true }, readStdin: async () => '' },
};

interface Command {
  spec: CommandSpec;
  words: string[];
}

const COMMANDS: Command[] = [
  ...TOP_COMMANDS.map((spec) => ({ spec, words: [commandWord(spec)] })),
  ...Object.entries(GROUPS).flatMap(([group, { commands }]) =>
    commands.flatMap((spec) =>
      [commandWord(spec), ...(spec.aliases ?? [])].map((word) => ({ spec, words: [group, word] })),
    ),
  ),
];

/** The words every call of a command needs: its required positionals and required options. */
function required(spec: CommandSpec): string[] {
  const words: string[] = [];
  for (const p of positionalsOf(spec)) {
    if (!p.required) continue;
    words.push(...(p.variadic ? ['two', 'words'] : [p.name === 'id' ? '7' : `a-${p.name}`]));
  }
  for (const [name, option] of Object.entries(spec.options ?? {}))
    if (option.demandOption) words.push(`--${name}`, 'needed');
  return words;
}

function sample(name: string, option: OptionSpec, nth: number): string {
  if (option.choices) return option.choices[nth % option.choices.length]!;
  return name === 'C' ? '.' : `${name}-value-${nth}`;
}

/** Every spelling of one option, each as the words that give it. */
function spellingsOf(name: string, option: OptionSpec): string[][] {
  const names = [
    name.length === 1 ? `-${name}` : `--${name}`,
    ...(option.alias ? [option.alias.length === 1 ? `-${option.alias}` : `--${option.alias}`] : []),
  ];
  if (option.type === 'boolean')
    return [...names.map((n) => [n]), name.length > 1 ? [`--no-${name}`] : []].filter((w) => w.length);
  const [a, b] = [sample(name, option, 0), sample(name, option, 1)];
  return [
    ...names.map((n) => [n, a]),
    ...(name.length > 1 ? [[`--${name}=${a}`]] : []),
    // Repeated: an array collects both, a single value keeps the last (as git does).
    [names[0]!, a, names.at(-1)!, b],
  ];
}

/**
 * Every well-formed call of every command: each option in each spelling after the text, and in its
 * first spelling before the text too (and before the command words, for a global option). An alias
 * of a command is called once: its options are the command's.
 */
function wellFormedCalls(): string[][] {
  const calls: string[][] = [];
  const done = new Set<CommandSpec>();
  for (const { spec, words } of COMMANDS) {
    const base = required(spec);
    calls.push([...words, ...base]);
    if (done.has(spec)) continue;
    done.add(spec);
    for (const p of positionalsOf(spec))
      if (!p.required) calls.push([...words, ...base, p.name === 'id' ? '#3' : `opt-${p.name}`]);
    for (const [name, option] of Object.entries({ ...GLOBAL_OPTIONS, ...spec.options })) {
      const [first, ...others] = spellingsOf(name, option);
      calls.push([...words, ...first!, ...base], [...words, ...base, ...first!]);
      if (name in GLOBAL_OPTIONS) calls.push([...first!, ...words, ...base]);
      for (const spelling of others) calls.push([...words, ...base, ...spelling]);
    }
  }
  return calls;
}

let seen: Record<string, unknown> | undefined;
const registry: Registry = {
  top: TOP_COMMANDS,
  groups: GROUPS,
  run: async (_spec, args) => {
    seen = args;
  },
};
const yargs = buildParser([], surroundings, registry);

async function yargsReads(argv: string[]): Promise<Record<string, unknown>> {
  seen = undefined;
  await yargs.parseAsync(argv);
  if (!seen) throw new Error(`yargs ran no command for ${argv.join(' ')}`);
  return seen;
}

/** The values a command reads: its positionals and each option under its name, camelCase and alias. */
function readValues(spec: CommandSpec, args: Record<string, unknown>): Record<string, unknown> {
  const keys = positionalsOf(spec).map((p) => p.name);
  for (const [name, option] of Object.entries({ ...GLOBAL_OPTIONS, ...spec.options })) {
    keys.push(name, camelCase(name), ...(option.alias ? [option.alias] : []));
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) if (args[key] !== undefined) out[key] = args[key];
  return out;
}

function grammarRefuses(argv: string[]): string {
  try {
    const parsed = parseArgv(argv, surroundings);
    throw new Error(`accepted ${argv.join(' ')} as ${parsed.kind}`);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return err.message;
  }
}

describe('the grammar and yargs, generated from the declarations', () => {
  it('read every option of every command in every spelling the same', async () => {
    const calls = wellFormedCalls();
    expect(calls.length).toBeGreaterThan(400);
    for (const argv of calls) {
      const parsed = parseArgv(argv, surroundings);
      if (parsed.kind !== 'run') throw new Error(`the grammar did not run ${argv.join(' ')}`);
      const ours = readValues(parsed.spec, parsed.args);
      expect({ argv, values: ours }).toEqual({ argv, values: readValues(parsed.spec, await yargsReads(argv)) });
    }
  });

  it('refuse what is not well formed with a usage error, for every option of every command', () => {
    for (const { spec, words } of COMMANDS) {
      const base = required(spec);
      for (const [name, option] of Object.entries({ ...GLOBAL_OPTIONS, ...spec.options })) {
        const flag = name.length === 1 ? `-${name}` : `--${name}`;
        if (option.type === 'boolean') {
          expect(grammarRefuses([...words, ...base, `${flag}=yes`])).toMatch(/takes no value/);
        } else {
          expect(grammarRefuses([...words, ...base, flag])).toMatch(/needs a value/);
          expect(grammarRefuses([...words, ...base, `--no-${name}`])).toMatch(/cannot be negated/);
        }
      }
      expect(grammarRefuses([...words, ...base, '--bogus'])).toMatch(/unknown option '--bogus'/);
      expect(grammarRefuses([...words, ...base, '-Z'])).toMatch(/unknown option '-Z'/);
    }
  });

  it('keep text that starts with a dash as text, and everything after -- as text', () => {
    for (const { spec, words } of COMMANDS) {
      const text = positionalsOf(spec).find((p) => p.variadic);
      if (!text) continue;
      const before = required(spec).slice(0, -2);
      for (const words_ of [['- shipped the hash fix'], ['a', '-', 'b'], ['-5 degrees'], ['--', '-x', '--json']]) {
        const parsed = parseArgv(
          [...words, ...before, ...words_, ...required(spec).slice(before.length + 2)],
          surroundings,
        );
        if (parsed.kind !== 'run') throw new Error('not run');
        expect(parsed.args[text.name]).toEqual(words_.filter((w, i) => !(w === '--' && i === 0)));
        expect(parsed.args.json).toBeUndefined();
      }
    }
  });

  it('answer help and the version through yargs, wherever the flag stands before --', () => {
    expect(parseArgv(['task', 'checkpoint', '1', 'x', '-h'], surroundings)).toEqual({
      kind: 'yargs',
      argv: ['task', 'checkpoint', '--help'],
    });
    expect(parseArgv(['-C', '.', 'task', 'show', '--help'], surroundings)).toEqual({
      kind: 'yargs',
      argv: ['task', 'show', '--help'],
    });
    expect(parseArgv(['task', 'checkpoint', '1', '--', '-h'], surroundings).kind).toBe('run');
    expect(parseArgv(['--version'], surroundings)).toEqual({ kind: 'yargs', argv: ['--version'] });
    // The value an option waits for is not a request for the version: the value is missing.
    for (const value of ['-v', '--version']) {
      expect(grammarRefuses(['task', 'add', 'x', '-d', value])).toMatch(
        new RegExp(`-d needs a value before '${value}'`),
      );
    }
    expect(parseArgv(['tsk', 'list'], surroundings)).toEqual({ kind: 'yargs', argv: ['tsk', 'list'] });
  });
});

describe('text never turns into flags, through the CLI', () => {
  const ALICE = { HZL_AUTHOR: 'alice', HZL_NOW: '2024-01-15T10:30:00Z' };
  const task = (repo: string, id = 1) =>
    JSON.parse(hzl(repo, ['task', 'show', String(id), '--json'], { env: ALICE }).stdout).task;

  function repoWithClaimedTask(): string {
    const repo = tempRepo();
    expect(hzl(repo, ['task', 'add', 'Add rate limiting'], { env: ALICE }).status).toBe(0);
    expect(hzl(repo, ['task', 'claim', '1'], { env: ALICE }).status).toBe(0);
    return repo;
  }

  it('a checkpoint, a handoff and a search that start with "- " are stored and found', () => {
    const repo = repoWithClaimedTask();
    const r = hzl(repo, ['task', 'checkpoint', '1', '- shipped the hash fix'], { env: ALICE });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '' });
    expect(readTask(repo, 1)).toContain('alice: - shipped the hash fix\n');
    expect(hzl(repo, ['task', 'search', '- shipped'], { env: ALICE }).stdout).toMatch(/^#1 /m);
    expect(hzl(repo, ['task', 'handoff', '1', '- half done, see the branch'], { env: ALICE }).status).toBe(0);
    expect(task(repo)).toMatchObject({ status: 'ready', author: null });
    expect(task(repo).checkpoints.at(-1).text).toMatch(/^HANDOFF: - half done, see the branch\nFiles: /);
  });

  it('a lone dash between words is a word, and -- works after global options', () => {
    const repo = repoWithClaimedTask();
    expect(hzl(repo, ['task', 'checkpoint', '1', 'a', '-', 'b'], { env: ALICE }).status).toBe(0);
    expect(hzl(repo, ['-C', '.', 'task', 'checkpoint', '1', '--', '-x'], { env: ALICE }).status).toBe(0);
    expect(hzl(repo, ['--json', 'task', 'checkpoint', '1', '--', '-y'], { env: ALICE }).status).toBe(0);
    expect(task(repo).checkpoints.map((c: { text: string }) => c.text)).toEqual(['a - b', '-x', '-y']);
  });

  it('--no- before an option that takes a value exits 2 and writes nothing', () => {
    const repo = repoWithClaimedTask();
    const before = readTask(repo, 1);
    for (const args of [
      ['task', 'update', '1', '--no-title'],
      ['task', 'update', '1', '--no-tags'],
      ['task', 'checkpoint', '1', 'x', '--no-author'],
      ['task', 'claim', '1', '--no-lease'],
      ['--no-C', 'task', 'list'],
    ]) {
      const r = hzl(repo, args, { env: ALICE });
      expect({ args, status: r.status, lines: r.stderr.trim().split('\n').length }).toEqual({
        args,
        status: 2,
        lines: 1,
      });
      expect(r.stderr).toMatch(/^hzl: --no-\w+ is not an option: -?-\w+ takes a value and cannot be negated; see 'hzl/);
    }
    expect(readTask(repo, 1)).toBe(before);
  });

  it('an unknown dashed word is refused with a command that works as advice', () => {
    const repo = repoWithClaimedTask();
    const r = hzl(repo, ['task', 'checkpoint', '1', '-x', 'marks the spot'], { env: ALICE });
    expect(r.status).toBe(2);
    const advice = /goes after '--': (.+)$/.exec(r.stderr.trim())?.[1];
    expect(advice).toBe("hzl task checkpoint 1 -- -x 'marks the spot'");
    // The advice, pasted into a shell as it is printed, stores the text.
    const pasted = spawnSync('sh', ['-c', advice!.replace(/^hzl /, `"${process.execPath}" "${HZL}" `)], {
      cwd: repo,
      env: baseEnv(ALICE),
    });
    expect(pasted.status).toBe(0);
    expect(task(repo).checkpoints.at(-1).text).toBe('-x marks the spot');
    expect(hzl(repo, ['task', 'list', '--statu', 'ready']).stderr).toMatch(/did you mean '--status'\?/);
  });
});

describe('help, version and near misses', () => {
  it('examples in --help are never wrapped, at any width', () => {
    for (const words of [
      ['task', 'claim'],
      ['task', 'checkpoint'],
      ['task', 'complete'],
      ['task', 'handoff'],
      ['task', 'block'],
      [],
    ]) {
      const r = hzl(tempDir(), [...words, '--help'], { env: { COLUMNS: '60' } });
      expect(r.status).toBe(0);
      const examples = r.stdout.slice(r.stdout.indexOf('\nExamples:\n') + 11, r.stdout.indexOf('\n\nExit codes:'));
      const commands = examples.split('\n').filter((line) => /^ {2}\S/.test(line));
      expect(commands.length).toBeGreaterThan(0);
      // Each example is a whole command: its quotes are balanced on its own line.
      for (const line of commands)
        expect({ line, quotes: (line.match(/"/g) ?? []).length % 2 }).toEqual({ line, quotes: 0 });
      const spec = words.length ? GROUPS.task!.commands.find((c) => commandWord(c) === words[1])! : undefined;
      for (const [command] of spec?.examples ?? []) expect(commands).toContain(`  ${command.replace(/\$0/g, 'hzl')}`);
    }
  });

  it('-v prints the version; hzl add and hzl show say what was meant', () => {
    const dir = tempDir();
    expect(hzl(dir, ['-v']).stdout).toBe(hzl(dir, ['--version']).stdout);
    expect(hzl(dir, ['-v']).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    for (const word of ['add', 'show']) {
      const r = hzl(dir, [word, '1']);
      expect({ status: r.status, stderr: r.stderr }).toEqual({
        status: 2,
        stderr: `hzl: unknown command '${word}' for 'hzl': did you mean 'hzl task ${word}'? see 'hzl task --help'\n`,
      });
    }
  });
});
