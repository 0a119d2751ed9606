// Help and completion: every command's --help has a purpose and an example, `hzl --help` lists
// the exit codes, and `hzl completion` prints a script that bash can use.

import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GROUPS, TOP_COMMANDS } from '../src/commands/registry.js';
import { commandWord } from '../src/commands/spec.js';
import { baseEnv, hzl, HZL, runInProcess, tempDir, tempRepo } from './helpers.js';

runInProcess();

const everyCommand = [
  ...TOP_COMMANDS.map((c) => [commandWord(c)]),
  ...Object.entries(GROUPS).flatMap(([group, { commands }]) => [
    [group],
    ...commands.map((c) => [group, commandWord(c)]),
  ]),
];

describe('help', () => {
  it('hzl --help lists the commands and the exit codes', () => {
    const r = hzl(tempDir(), ['--help']);
    expect(r.status).toBe(0);
    for (const word of ['board', 'changes [base]', 'completion', 'task']) expect(r.stdout).toContain(`hzl ${word}`);
    expect(r.stdout).toContain('Exit codes:');
    for (const code of [
      '0  ok',
      '1  unexpected error',
      '2  usage',
      '3  not found',
      '4  conflict',
      '5  invalid data',
      '6  git failure',
    ]) {
      expect(r.stdout).toContain(code);
    }
    expect(r.stdout).toMatch(/Examples:\n {2}hzl /);
  });

  it.each(everyCommand.map((words) => ({ name: words.join(' '), words })))(
    'hzl $name --help: a one-line purpose and an example',
    ({ words }) => {
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
    },
  );
});

describe('hzl completion', () => {
  it('prints the script of the shell asked for, or of $SHELL; never the bash one for fish', () => {
    const bash = hzl(tempDir(), ['completion'], { env: { SHELL: '/bin/bash' } });
    expect(bash.status).toBe(0);
    expect(bash.stdout).toContain('complete -o bashdefault -o default -F _hzl_completions hzl');
    expect(bash.stdout).toContain('hzl __complete bash');
    const zsh = hzl(tempDir(), ['completion'], { env: { SHELL: '/usr/bin/zsh' } });
    expect(zsh.stdout).toMatch(/^#compdef hzl\n/);
    const fish = hzl(tempDir(), ['completion'], { env: { SHELL: '/usr/bin/fish' } });
    expect(fish.stdout).toContain("complete -c hzl -f -a '(__hzl_complete)'");
    expect(fish.stdout).not.toContain('COMPREPLY');
    expect(hzl(tempDir(), ['completion', 'fish'], { env: { SHELL: '/bin/bash' } }).stdout).toBe(fish.stdout);
    const json = hzl(tempDir(), ['completion', '--json']);
    expect(json.status).toBe(2);
    expect(hzl(tempDir(), ['completion', 'tcsh']).stderr).toMatch(/choose one of bash, zsh, fish/);
  });

  it('completes commands, subcommands and options in the spellings the grammar takes', () => {
    const complete = (...words: string[]) =>
      hzl(tempDir(), ['__complete', 'bash', ...words])
        .stdout.split('\n')
        .filter(Boolean);
    expect(complete('')).toEqual(expect.arrayContaining(['board', 'changes', 'task', 'completion']));
    expect(complete('task', '')).toEqual(expect.arrayContaining(['claim', 'checkpoint', 'complete']));
    expect(complete('task', 'cl')).toEqual(['claim']);
    expect(complete('task', 'claim', '--')).toEqual(expect.arrayContaining(['--next', '--lease', '--json', '--help']));
    const short = complete('task', 'list', '-');
    expect(short).toEqual(expect.arrayContaining(['-C', '-q', '--quiet']));
    expect(short).not.toContain('--C');
    expect(short).not.toContain('--q');
    expect(complete('task', 'list', '--sort', '')).toEqual(['id', 'priority', 'created', 'updated']);
    expect(complete('task', 'list', '--status', 'in')).toEqual(['in_progress']);
  });

  it('completes task ids from the repository, with titles for zsh and fish', () => {
    const repo = tempRepo();
    expect(hzl(repo, ['task', 'add', 'Implement user authentication']).status).toBe(0);
    expect(hzl(repo, ['task', 'add', 'Add rate limiting']).status).toBe(0);
    expect(hzl(repo, ['__complete', 'bash', 'task', 'show', '']).stdout).toBe('1\n2\n');
    expect(hzl(repo, ['__complete', 'zsh', 'task', 'claim', '2']).stdout).toBe('2:Add rate limiting (ready)\n');
    expect(hzl(repo, ['__complete', 'fish', 'task', 'show', '1']).stdout).toBe(
      '1\tImplement user authentication (ready)\n',
    );
    // A checkpoint's text is not an id.
    expect(hzl(repo, ['__complete', 'bash', 'task', 'checkpoint', '1', '']).stdout).toBe('');
  });

  it.skipIf(spawnSync('bash', ['--version']).status !== 0)('works in bash, task ids included', () => {
    const repo = tempRepo();
    expect(hzl(repo, ['task', 'add', 'Implement user authentication']).status).toBe(0);
    const bin = tempDir();
    const wrapper = join(bin, 'hzl');
    writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${HZL}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const reply = 'echo "$' + '{COMPREPLY[@]}"'; // bash's own expansion, not a template
    const script = [
      'source <(hzl completion bash)',
      `COMP_WORDS=(hzl task cl); COMP_CWORD=2; _hzl_completions; ${reply}`,
      `COMP_WORDS=(hzl task show ""); COMP_CWORD=3; _hzl_completions; ${reply}`,
    ].join('\n');
    const env = baseEnv({ SHELL: '/bin/bash', PATH: `${bin}:${process.env.PATH}` });
    const r = spawnSync('bash', ['-c', script], { cwd: repo, env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('claim\n1\n');
  });
});
