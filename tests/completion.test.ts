// Help and completion: every command's --help has a purpose and an example, `hzl --help` lists
// the exit codes, and `hzl completion` prints a script that bash can use.

import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GROUPS, TOP_COMMANDS } from '../src/commands/registry.js';
import { commandWord } from '../src/commands/spec.js';
import { HZL, baseEnv, hzl, tempDir } from './helpers.js';

const everyCommand = [
  ...TOP_COMMANDS.map((c) => [commandWord(c)]),
  ['completion'],
  ...Object.entries(GROUPS).flatMap(([group, { commands }]) => [[group], ...commands.map((c) => [group, commandWord(c)])]),
];

describe('help', () => {
  it('hzl --help lists the commands and the exit codes', () => {
    const r = hzl(tempDir(), ['--help']);
    expect(r.status).toBe(0);
    for (const word of ['board', 'changes [base]', 'completion', 'task']) expect(r.stdout).toContain(`hzl ${word}`);
    expect(r.stdout).toContain('Exit codes:');
    for (const code of ['0  ok', '1  unexpected error', '2  usage', '3  not found', '4  conflict', '5  invalid data', '6  git failure']) {
      expect(r.stdout).toContain(code);
    }
    expect(r.stdout).toMatch(/Examples:\n {2}hzl /);
  });

  it.each(everyCommand.map((words) => ({ name: words.join(' '), words })))('hzl $name --help: a one-line purpose and an example', ({ words }) => {
    const r = hzl(tempDir(), [...words, '--help']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const [usage, blank, purpose] = r.stdout.split('\n');
    expect(usage).toMatch(new RegExp(`^hzl ${words.join(' ')}\\b`));
    if (words.length === 1 && Object.hasOwn(GROUPS, words[0]!)) {
      // A group lists its commands, each with a one-line purpose.
      expect(r.stdout).toMatch(/Commands:\n {2}hzl task add/);
    } else {
      expect(blank).toBe('');
      expect(purpose).toMatch(/^\S.{10,}$/);
    }
    expect(r.stdout).toMatch(/\nExamples:\n {2}(\S+=\S+ )?hzl /);
  });
});

describe('hzl completion', () => {
  it('prints a bash script, or a zsh one when $SHELL is zsh', () => {
    const bash = hzl(tempDir(), ['completion'], { env: { SHELL: '/bin/bash' } });
    expect(bash.status).toBe(0);
    expect(bash.stdout).toContain('complete -o bashdefault -o default -F _hzl_yargs_completions hzl');
    expect(bash.stdout).toContain('hzl --get-yargs-completions');
    const zsh = hzl(tempDir(), ['completion'], { env: { SHELL: '/usr/bin/zsh' } });
    expect(zsh.status).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef hzl/);
  });

  it('completes commands, subcommands and options', () => {
    const complete = (...words: string[]) => hzl(tempDir(), ['--get-yargs-completions', 'hzl', ...words]).stdout.split('\n');
    expect(complete('')).toEqual(expect.arrayContaining(['board', 'changes', 'task', 'completion']));
    expect(complete('task', '')).toEqual(expect.arrayContaining(['claim', 'checkpoint', 'complete']));
    expect(complete('task', 'claim', '--')).toEqual(expect.arrayContaining(['--next', '--lease']));
  });

  it.skipIf(spawnSync('bash', ['--version']).status !== 0)('works in bash', () => {
    const bin = tempDir();
    const wrapper = join(bin, 'hzl');
    writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${HZL}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const script = [
      'source <(hzl completion)',
      'COMP_WORDS=(hzl task cl); COMP_CWORD=2; _hzl_yargs_completions',
      'echo "${COMPREPLY[@]}"',
    ].join('\n');
    const env = baseEnv({ SHELL: '/bin/bash', PATH: `${bin}:${process.env.PATH}` });
    const r = spawnSync('bash', ['-c', script], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split(' ').sort()).toEqual(['claim']);
  });
});
