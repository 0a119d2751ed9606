// The suggestions the table in cli-more does not reach: each error is triggered, the command it
// names is taken from stderr and run, and what it was said to do is checked.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareRemote } from './clone-helpers.js';
import { git, hzl, quotedHzl, readTask, runInProcess, tempDir, tempRepo } from './helpers.js';

runInProcess();

const AGENT = { env: { HZL_AUTHOR: 'agent-z', HZL_NOW: '2026-03-01T10:00:00Z' } };

/** The first `'hzl …'` in a message, as words (none of these suggestions quote inside). */
function suggested(stderr: string): string[] {
  const line = quotedHzl(stderr)[0];
  expect(line, `no 'hzl …' in: ${stderr}`).toBeDefined();
  return line!.split(' ').slice(1);
}

describe('suggested commands that do what they say', () => {
  it("setup on a settings file that is not JSON: moved aside, the named 'hzl setup' runs", () => {
    const repo = tempRepo();
    mkdirSync(join(repo, '.claude'));
    writeFileSync(join(repo, '.claude', 'settings.json'), '{ "model": "opus", }\n');
    const r = hzl(repo, ['setup', 'claude']);
    expect(r.status).toBe(5);
    renameSync(join(repo, '.claude', 'settings.json'), join(repo, '.claude', 'settings.json.bak'));
    const again = hzl(repo, suggested(r.stderr));
    expect(again.stderr).toMatch(/^Set up hzl for claude: /);
    expect(again.status).toBe(0);
  });

  it("setup --remove on a file that is not JSON names 'hzl setup … --remove'", () => {
    const repo = tempRepo();
    expect(hzl(repo, ['setup', 'cursor']).status).toBe(0);
    writeFileSync(join(repo, '.cursor', 'mcp.json'), '{ broken');
    const r = hzl(repo, ['setup', 'cursor', '--remove']);
    expect(r.status).toBe(5);
    expect(suggested(r.stderr)).toEqual(['setup', 'cursor', '--remove']);
  });

  it("sync with no remote set: the named 'hzl init --remote origin' sets it, and sync then works", () => {
    const repo = tempRepo();
    bareRemote(repo);
    const r = hzl(repo, ['sync']);
    expect(r.status).toBe(2);
    const init = hzl(repo, suggested(r.stderr));
    expect(init.status).toBe(0);
    expect(hzl(repo, ['sync']).status).toBe(0);
  });

  it("changes with an unknown base: the named 'hzl changes main' compares with main", () => {
    const repo = tempRepo();
    const r = hzl(repo, ['changes', 'nosuch']);
    expect(r.status).toBe(3);
    const again = hzl(repo, suggested(r.stderr));
    expect(again.status).toBe(0);
  });

  it('changes on a branch with no commits says so in one line', () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    expect(hzl(dir, ['init']).status).toBe(0);
    const r = hzl(dir, ['changes', 'main']);
    expect(r.stderr).toBe('hzl: this branch has no commits yet: commit the task files first\n');
    expect(r.status).toBe(6);
  });

  it('doctor --ci --fix: dropping --fix, as it says, checks', () => {
    const repo = tempRepo();
    const r = hzl(repo, ['doctor', '--ci', '--fix']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/drop --fix/);
    expect(hzl(repo, ['doctor', '--ci']).status).toBe(0);
  });

  it("completion --json: the named 'hzl completion --help' answers", () => {
    const repo = tempRepo();
    const r = hzl(repo, ['completion', '--json']);
    expect(r.status).toBe(2);
    const help = hzl(repo, suggested(r.stderr));
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/completion/);
  });

  it("an id that its file name contradicts: the named 'hzl doctor' reports that file", () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'One'], AGENT);
    renameSync(join(repo, '.hzl', 'tasks', '1-one.md'), join(repo, '.hzl', 'tasks', '2-one.md'));
    const r = hzl(repo, ['task', 'show', '2']);
    expect(r.status).toBe(5);
    const doctor = hzl(repo, suggested(r.stderr));
    expect(doctor.status).not.toBe(0);
    expect(doctor.stdout + doctor.stderr).toMatch(/2-one\.md/);
  });

  it("a claim without a lease: doctor's 'hzl task release N' releases it", () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'One'], AGENT);
    hzl(repo, ['task', 'claim', '1'], AGENT);
    const file = join(repo, '.hzl', 'tasks', '1-one.md');
    writeFileSync(
      file,
      readTask(repo, 1)
        .replace(/^lease_until: .*\n/m, '')
        .replace(/^author: .*\n/m, ''),
    );
    const r = hzl(repo, ['doctor']);
    expect(r.status).not.toBe(0);
    const release = /'(hzl task release 1)'/.exec(r.stdout + r.stderr)?.[1];
    expect(release, r.stdout + r.stderr).toBeDefined();
    expect(hzl(repo, release!.split(' ').slice(1), AGENT).status).toBe(0);
    expect(readTask(repo, 1)).toContain('status: ready');
    expect(hzl(repo, ['doctor']).status).toBe(0);
  });

  it("a ready task that names an author: both of doctor's suggestions do what they say", () => {
    for (const pick of ['fix', 'claim'] as const) {
      const repo = tempRepo();
      hzl(repo, ['task', 'add', 'One'], AGENT);
      const file = join(repo, '.hzl', 'tasks', '1-one.md');
      writeFileSync(file, readTask(repo, 1).replace('status: ready\n', 'status: ready\nauthor: agent-z\n'));
      const r = hzl(repo, ['doctor']);
      expect(r.status).toBe(5);
      const [fix, claim] = quotedHzl(r.stdout + r.stderr).map((line) => line.split(' ').slice(1));
      expect(hzl(repo, pick === 'fix' ? fix! : claim!).status).toBe(0);
      const task = readTask(repo, 1);
      if (pick === 'fix') expect(task).not.toMatch(/^author:/m);
      else expect(task).toMatch(/^status: in_progress\nauthor: agent-z$/m);
      expect(hzl(repo, ['doctor']).status).toBe(0);
    }
  });

  it("two files with one id: the named 'hzl doctor' names both", () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'One'], AGENT);
    copyFileSync(join(repo, '.hzl', 'tasks', '1-one.md'), join(repo, '.hzl', 'tasks', '1-one-copy.md'));
    const r = hzl(repo, ['task', 'show', '1']);
    expect(r.status).toBe(5);
    const doctor = hzl(repo, suggested(r.stderr));
    expect(doctor.status).toBe(5);
    expect(doctor.stdout + doctor.stderr).toMatch(/1-one-copy\.md/);
    expect(hzl(repo, ['doctor', '--fix']).status).toBe(0);
    expect(hzl(repo, ['task', 'show', '1']).status).toBe(0);
  });
});

describe('a lock nobody releases, in a folder whose name has a space', () => {
  it('the rm it suggests is quoted for the shell, and removing it lets the write through', () => {
    const parent = tempDir();
    const repo = join(parent, 'My Projects');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.name', 'Test User');
    git(repo, 'config', 'user.email', 'test@example.com');
    expect(hzl(repo, ['init']).status).toBe(0);
    hzl(repo, ['task', 'add', 'One'], AGENT);
    const lock = join(repo, '.git', 'hzl', 'locks', 'task-1.lock');
    writeFileSync(lock, `${process.pid} ${hostname()}\n`);
    const env = { env: { ...AGENT.env, HZL_LOCK_TIMEOUT_MS: '200' } };
    const r = hzl(repo, ['task', 'checkpoint', '1', 'note'], env);
    expect(r.status).toBe(4);
    const rm = /if no hzl is running: (rm .+)\)$/.exec(r.stderr.trim())?.[1];
    expect(rm, r.stderr).toBeDefined();
    expect(spawnSync('sh', ['-c', rm!], { cwd: parent }).status).toBe(0);
    expect(hzl(repo, ['task', 'checkpoint', '1', 'note'], env).status).toBe(0);
  });
});
