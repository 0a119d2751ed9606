// Work across clones: the merge driver in a fresh clone and when hzl cannot run, and coordination
// of ids and claims through a shared remote (a bare repository by path and over `git daemon`).

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driverCommand } from '../src/git/config.js';
import { baseEnv, git, hzl, readTask, taskFile, tempDir, tempRepo } from './helpers.js';

const AT = (iso: string) => ({ env: { HZL_NOW: iso, HZL_AUTHOR: 'agent' } });

/** A bare repository that `first` pushes main to. */
function bareRemote(first: string): string {
  const bare = join(tempDir(), 'remote.git');
  git(first, 'init', '-q', '--bare', '-b', 'main', bare);
  git(first, 'remote', 'add', 'origin', bare);
  git(first, 'add', '-A');
  git(first, 'commit', '-q', '-m', 'hzl init', '--allow-empty');
  git(first, 'push', '-q', '-u', 'origin', 'main');
  return bare;
}

/** A fresh `git clone`, set up as tempRepo sets up a repository, but without any hzl command. */
function cloneOf(url: string): string {
  const dir = join(tempDir(), 'clone');
  git(tempDir(), 'clone', '-q', url, dir);
  for (const [k, v] of [['user.name', 'Test User'], ['user.email', 'test@example.com'], ['commit.gpgsign', 'false'], ['pull.rebase', 'false']]) {
    git(dir, 'config', k!, v!);
  }
  return dir;
}

function commitAll(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

function pull(repo: string) {
  const r = spawnSync('git', ['pull', '--no-rebase', '--no-edit', 'origin', 'main'], { cwd: repo, env: baseEnv(), encoding: 'utf8' });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the merge driver across clones', () => {
  it('a fresh clone registers the driver at its first hzl command, and then merges with no markers', () => {
    const a = tempRepo();
    hzl(a, ['task', 'add', 'Shared'], AT('2024-01-01T10:00:00Z'));
    const bare = bareRemote(a);
    const b = cloneOf(bare);
    expect(spawnSync('git', ['config', '--get', 'merge.hzl.driver'], { cwd: b, env: baseEnv() }).status).toBe(1);

    hzl(a, ['task', 'checkpoint', '1', 'from clone a'], AT('2024-01-01T11:00:00Z'));
    commitAll(a, 'a');
    git(a, 'push', '-q', 'origin', 'main');

    const first = hzl(b, ['task', 'checkpoint', '1', 'from clone b'], AT('2024-01-01T12:00:00Z'));
    expect(first.status).toBe(0);
    expect(first.stderr).toMatch(/^hzl: note: registered the hzl merge driver in this clone \(git config merge\.hzl\.driver\), as \.gitattributes asks\n/);
    expect(hzl(b, ['task', 'show', '1']).stderr).not.toMatch(/note:/); // once
    commitAll(b, 'b');

    const merged = pull(b);
    expect(merged.status, merged.output).toBe(0);
    const text = readTask(b, 1);
    expect(text).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    expect(text).toContain('agent: from clone a');
    expect(text).toContain('agent: from clone b');
  });

  it('when the registered hzl cannot run, the file keeps both sides with conflict markers', () => {
    const a = tempRepo();
    hzl(a, ['task', 'add', 'Shared'], AT('2024-01-01T10:00:00Z'));
    const bare = bareRemote(a);
    const b = cloneOf(bare);
    // What `hzl init` registered, from an install that has since been moved away.
    const gone = join(tempDir(), 'moved', 'bin', 'hzl.js');
    git(b, 'config', 'merge.hzl.name', 'hzl task merge');
    git(b, 'config', 'merge.hzl.driver', driverCommand([process.execPath, gone]));

    // Both sides add a line at the same place (by hand: an hzl command in b would register itself again).
    const append = (repo: string, line: string) => {
      const file = taskFile(repo, 1);
      writeFileSync(file, `${readFileSync(file, 'utf8')}- [2024-01-01T12:00:00Z] agent: ${line}\n`);
      return file;
    };
    append(a, 'from clone a');
    commitAll(a, 'a');
    git(a, 'push', '-q', 'origin', 'main');
    const file = append(b, 'from clone b');
    commitAll(b, 'b');

    const merged = pull(b);
    expect(merged.status).not.toBe(0);
    expect(merged.output).toMatch(/hzl merge driver could not run: used git merge-file/);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^<<<<<<< ours$/m);
    expect(text).toContain('from clone a');
    expect(text).toContain('from clone b');

    // The next hzl command registers a driver that runs; doctor says how to redo the merge with it.
    const doctor = hzl(b, ['doctor']);
    expect(doctor.stderr).toMatch(/^hzl: note: re-registered the hzl merge driver/);
    expect(doctor.stdout).toContain(`redo it with the hzl driver (git checkout -m -- .hzl/tasks/${file.split('/').pop()})`);
    git(b, 'checkout', '-m', '--', file);
    const redone = readFileSync(file, 'utf8');
    expect(redone).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    expect(redone).toContain('agent: from clone a');
    expect(redone).toContain('agent: from clone b');
  });

  it('an older registration without the fallback is replaced at the next command', () => {
    const repo = tempRepo();
    const quote = (w: string) => `'${w}'`;
    git(repo, 'config', 'merge.hzl.driver', `${quote(process.execPath)} ${quote(join(process.cwd(), 'bin', 'hzl.js'))} merge-driver %O %A %B %P`);
    const r = hzl(repo, ['task', 'list']);
    expect(r.stderr).toMatch(/^hzl: note: re-registered the hzl merge driver/);
    expect(git(repo, 'config', '--get', 'merge.hzl.driver')).toContain('git merge-file');
    expect(hzl(repo, ['task', 'list']).stderr).not.toMatch(/note:/);
  });
});
