// The CLI as gh and git users expect it: lists of open work, one sort rule, names that survive a
// shell when hzl prints them into a command.

import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseEnv, git, HZL, hzl, runInProcess, tempRepo } from './helpers.js';

runInProcess();

const at = (time: string, author = 'claude-code') => ({ env: { HZL_NOW: time, HZL_AUTHOR: author } });
const ids = (repo: string, args: string[]) =>
  (JSON.parse(hzl(repo, ['task', 'list', '--json', ...args]).stdout).tasks as Array<{ id: number }>).map((t) => t.id);

function threeTasks(): string {
  const repo = tempRepo();
  for (const [title, time] of [
    ['Old', '2024-01-15T09:00:00Z'],
    ['Middle', '2024-01-15T10:00:00Z'],
    ['New', '2024-01-15T11:00:00Z'],
  ] as const) {
    expect(hzl(repo, ['task', 'add', title], at(time)).status).toBe(0);
  }
  return repo;
}

describe('task list', () => {
  it('shows open work by default, as gh issue list does; --all and --status show the rest', () => {
    const repo = threeTasks();
    expect(hzl(repo, ['task', 'claim', '1'], at('2024-01-15T12:00:00Z')).status).toBe(0);
    expect(hzl(repo, ['task', 'complete', '1'], at('2024-01-15T12:30:00Z')).status).toBe(0);
    expect(hzl(repo, ['task', 'claim', '2'], at('2024-01-15T12:40:00Z')).status).toBe(0);
    expect(hzl(repo, ['task', 'archive', '3'], at('2024-01-15T12:50:00Z')).status).toBe(0);
    expect(ids(repo, ['--author', 'claude-code'])).toEqual([2]);
    expect(ids(repo, [])).toEqual([2]);
    expect(ids(repo, ['--all'])).toEqual([1, 2, 3]);
    expect(ids(repo, ['--status', 'done'])).toEqual([1]);
    expect(hzl(repo, ['task', 'list', '--help']).stdout).toMatch(/done and archived ones with --all/);
  });

  it('sorts by one rule (first what came first) and --reverse turns any order round', () => {
    const repo = threeTasks();
    expect(hzl(repo, ['task', 'checkpoint', '1', 'touched last'], at('2024-01-15T13:00:00Z')).status).toBe(0);
    expect(ids(repo, ['--sort', 'created'])).toEqual([1, 2, 3]);
    expect(ids(repo, ['--sort', 'updated'])).toEqual([2, 3, 1]);
    expect(ids(repo, ['--sort', 'updated', '--reverse'])).toEqual([1, 3, 2]);
    expect(ids(repo, ['--sort', 'created', '--reverse'])).toEqual([3, 2, 1]);
    expect(ids(repo, ['--reverse'])).toEqual([3, 2, 1]);
  });
});

describe('names hzl prints into commands', () => {
  it('prime quotes an author with a space, and the printed command works when pasted', () => {
    const repo = threeTasks();
    expect(hzl(repo, ['task', 'claim', '2'], at('2024-01-15T12:00:00Z', 'Alice Dev')).status).toBe(0);
    const prime = hzl(repo, ['prime'], at('2024-01-15T12:10:00Z', 'Alice Dev')).stdout;
    expect(prime).toContain("HZL_AUTHOR='Alice Dev'");
    const command = /`(hzl task list --author [^`]+)`/.exec(prime)?.[1];
    expect(command).toBe("hzl task list --author 'Alice Dev'");
    const pasted = spawnSync('sh', ['-c', `${command!.replace(/^hzl /, `"${process.execPath}" "${HZL}" `)} --json`], {
      cwd: repo,
      env: baseEnv(),
      encoding: 'utf8',
    });
    expect(pasted.status).toBe(0);
    expect(JSON.parse(pasted.stdout).tasks.map((t: { id: number }) => t.id)).toEqual([2]);
  });
});

describe('config typos', () => {
  it('an unknown key in .hzl/config.yml is a warning with a did-you-mean, once per command, never a failure', () => {
    const repo = tempRepo();
    appendFileSync(join(repo, '.hzl', 'config.yml'), 'comit: true\n');
    const r = hzl(repo, ['task', 'add', 'Typo in the config'], at('2024-01-15T09:00:00Z'));
    expect(r.status).toBe(0);
    const warnings = r.stderr.split('\n').filter((line) => line.startsWith('hzl: warning:'));
    expect(warnings).toEqual([
      "hzl: warning: .hzl/config.yml: hzl does not know 'comit' (did you mean 'commit'?); " +
        'it reads commit, commit_hooks, lease, author, remote, remote_cache, id_style',
    ]);
    // The typo is not taken for the setting: nothing was committed.
    expect(git(repo, 'log', '--oneline').trim().split('\n')).toHaveLength(1);
    expect(hzl(repo, ['task', 'list']).stderr).toMatch(/^hzl: warning: .*'comit'/);
  });
});

describe('show', () => {
  it('leads with a handoff note only while it is the newest news', () => {
    const repo = threeTasks();
    expect(hzl(repo, ['task', 'claim', '1'], at('2024-01-15T12:00:00Z', 'agent-1')).status).toBe(0);
    expect(
      hzl(repo, ['task', 'handoff', '1', 'Auth done; tests next'], at('2024-01-15T12:10:00Z', 'agent-1')).status,
    ).toBe(0);
    const header = (time: string, from = 'agent-1') =>
      hzl(repo, ['task', 'show', '1'], at(time)).stdout.includes(`Handoff from ${from}`);
    expect(header('2024-01-15T12:20:00Z')).toBe(true);
    expect(hzl(repo, ['task', 'claim', '1'], at('2024-01-15T12:30:00Z', 'agent-2')).status).toBe(0);
    expect(header('2024-01-15T12:40:00Z')).toBe(false);
    // Still in the list, as a checkpoint.
    expect(hzl(repo, ['task', 'show', '1'], at('2024-01-15T12:40:00Z')).stdout).toMatch(
      /\[2024-01-15 12:10\] \(agent-1\) HANDOFF: Auth done; tests next/,
    );
    // A handoff written as a checkpoint, as the seed does, leads until the next checkpoint.
    expect(
      hzl(repo, ['task', 'checkpoint', '1', 'HANDOFF: see auth_service.rb'], at('2024-01-15T12:50:00Z', 'agent-2'))
        .status,
    ).toBe(0);
    expect(header('2024-01-15T12:55:00Z', 'agent-2')).toBe(true);
    expect(
      hzl(repo, ['task', 'checkpoint', '1', 'Added unit tests'], at('2024-01-15T13:00:00Z', 'agent-3')).status,
    ).toBe(0);
    expect(hzl(repo, ['task', 'show', '1'], at('2024-01-15T13:05:00Z')).stdout).not.toMatch(/Handoff from/);
  });

  it('says when a lease has expired, and a checkpoint by the holder through HZL_AUTHOR renews it', () => {
    const repo = threeTasks();
    expect(hzl(repo, ['task', 'claim', '2', '--lease', '2h'], at('2024-01-15T14:20:00Z', 'agent-z')).status).toBe(0);
    const lease = (time: string) => /Lease until: .*/.exec(hzl(repo, ['task', 'show', '2'], at(time)).stdout)?.[0];
    expect(lease('2024-01-15T15:00:00Z')).toBe('Lease until: 2024-01-15 16:20');
    expect(lease('2024-01-15T18:25:00Z')).toBe('Lease until: 2024-01-15 16:20 (expired 2h ago)');
    expect(hzl(repo, ['task', 'checkpoint', '2', 'still on it'], at('2024-01-15T16:00:00Z', 'agent-z')).status).toBe(0);
    expect(lease('2024-01-15T17:00:00Z')).toBe('Lease until: 2024-01-15 18:00');
  });
});

describe('commit mode a reviewer can read', () => {
  function committedRepo(): string {
    const repo = tempRepo();
    expect(hzl(repo, ['task', 'add', 'Add rate limiting'], at('2024-01-15T09:00:00Z', 'alice')).status).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'tasks');
    return repo;
  }

  it('subjects name the task, what happened, the actor and the title; the body holds the text', () => {
    const repo = committedRepo();
    expect(hzl(repo, ['task', 'claim', '1', '--commit'], at('2024-01-15T10:00:00Z', 'codex')).status).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('hzl: #1 claimed by codex: Add rate limiting');
    expect(
      hzl(
        repo,
        ['task', 'checkpoint', '1', 'Token bucket in middleware.ts', '--commit'],
        at('2024-01-15T10:30:00Z', 'codex'),
      ).status,
    ).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%B').trim()).toBe(
      'hzl: #1 checkpoint by codex: Add rate limiting\n\nToken bucket in middleware.ts',
    );
  });

  it('says so when earlier uncommitted edits of the task file go into the commit', () => {
    const repo = committedRepo();
    expect(
      hzl(repo, ['task', 'checkpoint', '1', 'not committed yet'], at('2024-01-15T10:00:00Z', 'alice')).status,
    ).toBe(0);
    expect(
      hzl(repo, ['task', 'checkpoint', '1', 'now committed', '--commit'], at('2024-01-15T10:10:00Z', 'alice')).status,
    ).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%b')).toContain(
      'Also commits earlier uncommitted changes to this task file.',
    );
    expect(
      hzl(repo, ['task', 'checkpoint', '1', 'clean before', '--commit'], at('2024-01-15T10:20:00Z', 'alice')).status,
    ).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%b')).not.toContain('earlier uncommitted');
  });

  it('skips git hooks unless commit_hooks: true', () => {
    const repo = committedRepo();
    const hook = join(repo, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, `#!/bin/sh\necho ran >> "${join(repo, '.git', 'hook-ran')}"\n`);
    chmodSync(hook, 0o755);
    expect(hzl(repo, ['task', 'checkpoint', '1', 'one', '--commit'], at('2024-01-15T10:00:00Z', 'alice')).status).toBe(
      0,
    );
    expect(existsSync(join(repo, '.git', 'hook-ran'))).toBe(false);
    appendFileSync(join(repo, '.hzl', 'config.yml'), 'commit_hooks: true\n');
    const r = hzl(repo, ['task', 'checkpoint', '1', 'two', '--commit'], at('2024-01-15T10:10:00Z', 'alice'));
    expect({ status: r.status, warned: /warning/.test(r.stderr) }).toEqual({ status: 0, warned: false });
    expect(readFileSync(join(repo, '.git', 'hook-ran'), 'utf8')).toBe('ran\n');
  });
});

describe('small things', () => {
  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'checkpoint - on a terminal says stdin is a terminal, and writes nothing',
    () => {
      const repo = threeTasks();
      const before = readFileSync(join(repo, '.hzl', 'tasks', '1-old.md'), 'utf8');
      // `script` gives the command a terminal for stdin and stdout; -e passes its exit code on.
      const r = spawnSync(
        'script',
        ['-qec', `"${process.execPath}" "${HZL}" task checkpoint 1 - --author alice`, '/dev/null'],
        {
          cwd: repo,
          env: baseEnv(),
          encoding: 'utf8',
        },
      );
      expect(r.status).toBe(2);
      expect(r.stdout).toMatch(/hzl: '-' reads the text from stdin, but stdin is a terminal/);
      expect(readFileSync(join(repo, '.hzl', 'tasks', '1-old.md'), 'utf8')).toBe(before);
    },
  );

  it('init --agents on a set-up repository does not say Initialized', () => {
    const repo = tempRepo();
    const r = hzl(repo, ['init', '--agents']);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/Initialized/);
    expect(r.stderr).toMatch(/^hzl is already set up in .*\nAGENTS\.md: the hzl block created\n$/);
    expect(hzl(repo, ['init', '--agents']).stderr).toMatch(/^hzl is already set up in [^\n]*\n$/);
  });
});

describe('doctor quotes names in the commands it suggests', () => {
  it("a ready task naming 'Alice Dev' gets a claim command that works pasted", () => {
    const repo = threeTasks();
    const file = join(repo, '.hzl', 'tasks', '1-old.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('priority: 0\n', 'priority: 0\nauthor: Alice Dev\n'));
    const r = hzl(repo, ['doctor']);
    expect(r.stdout).toContain("(or 'hzl task claim 1 --author 'Alice Dev'', if Alice Dev is on it)");
  });
});

describe('time zones', () => {
  it('show says the zone of its times once when it is not UTC, and nothing in UTC', () => {
    const repo = threeTasks();
    expect(hzl(repo, ['task', 'checkpoint', '1', 'at noon UTC'], at('2024-01-15T12:00:00Z')).status).toBe(0);
    const paris = hzl(repo, ['task', 'show', '1'], { env: { TZ: 'Europe/Paris' } }).stdout;
    expect(paris).toContain('  [2024-01-15 13:00] (claude-code) at noon UTC\n');
    expect(paris.endsWith('\n(times are Europe/Paris, UTC+01:00)\n')).toBe(true);
    expect(paris.match(/times are/g)).toHaveLength(1);
    expect(hzl(repo, ['task', 'show', '1']).stdout).not.toContain('times are');
  });
});
