// `hzl task edit` (an editor on a copy, checked before it is saved) and `hzl task delete` (a
// tombstone keeps the id taken), through the CLI with a real editor process.

import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, hzl, readTask, runInProcess, snapshot, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

const ALICE = { HZL_AUTHOR: 'alice', HZL_NOW: '2024-01-15T10:00:00Z' };

/** An "editor": a script that runs `sed EXPR` on the file it is given. */
function sedEditor(expr: string): string {
  const path = join(tempDir(), 'editor.sh');
  writeFileSync(path, `#!/bin/sh\nsed -i '${expr}' "$1"\n`);
  chmodSync(path, 0o755);
  return path;
}

function oneTask(): string {
  const repo = tempRepo();
  expect(hzl(repo, ['task', 'add', 'Write the docs', '-d', 'First draft'], { env: ALICE }).status).toBe(0);
  return repo;
}

describe('task edit', () => {
  it('saves an edit that parses, byte for byte as the editor left it', () => {
    const repo = oneTask();
    const r = hzl(repo, ['task', 'edit', '1'], {
      env: { ...ALICE, EDITOR: sedEditor('s/First draft/Second draft, by hand/') },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('Saved #1 (.hzl/tasks/1-write-the-docs.md)\n');
    expect(readTask(repo, 1)).toContain('\nSecond draft, by hand\n');
    expect(JSON.parse(hzl(repo, ['task', 'show', '1', '--json']).stdout).task.description).toBe(
      'Second draft, by hand',
    );
  });

  it('never saves a broken edit: exit 5 with file and line, the copy kept and named; VISUAL before EDITOR', () => {
    const repo = oneTask();
    const before = snapshot(repo);
    const env = {
      ...ALICE,
      VISUAL: sedEditor('s/^status: ready/status: sideways/'),
      EDITOR: sedEditor('s/First/Other/'),
    };
    const r = hzl(repo, ['task', 'edit', '1'], { env });
    expect(r.status).toBe(5);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^hzl: \.hzl\/tasks\/1-write-the-docs\.md:\d+: .*status.*; not saved: your edit is kept in (\S+\.md)/,
    );
    const copy = /kept in (\S+\.md)/.exec(r.stderr)![1]!;
    expect(readFileSync(copy, 'utf8')).toContain('status: sideways');
    expect(snapshot(repo)).toEqual(before);
  });

  it('no change, no write; another id is refused', () => {
    const repo = oneTask();
    const before = snapshot(repo);
    expect(hzl(repo, ['task', 'edit', '1'], { env: { ...ALICE, EDITOR: 'true' } }).stderr).toBe('No change to #1\n');
    expect(hzl(repo, ['task', 'edit', '1'], { env: { ...ALICE, EDITOR: sedEditor('s/^id: 1/id: 2/') } }).status).toBe(
      5,
    );
    expect(snapshot(repo)).toEqual(before);
  });
});

describe('task edit in commit mode and during a rebase', () => {
  it('commits the edit as its own commit', () => {
    const repo = oneTask();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'tasks');
    const r = hzl(repo, ['--commit', 'task', 'edit', '1'], {
      env: { ...ALICE, EDITOR: sedEditor('s/First draft/Edited/') },
    });
    expect(r.status).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('hzl: #1 edited by alice: Write the docs');
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuses before opening the editor while a rebase is in progress', () => {
    const repo = oneTask();
    mkdirSync(join(repo, '.git', 'rebase-merge'));
    const marker = join(tempDir(), 'editor-ran');
    const editor = join(tempDir(), 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\ntouch '${marker}'\n`);
    chmodSync(editor, 0o755);
    const r = hzl(repo, ['task', 'edit', '1'], { env: { ...ALICE, EDITOR: editor } });
    expect(r.status).toBe(4);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('task delete', () => {
  it('removes the task and leaves a tombstone; the id is never handed out again', () => {
    const repo = oneTask();
    expect(hzl(repo, ['task', 'add', 'Second'], { env: ALICE }).status).toBe(0);
    const r = hzl(repo, ['task', 'delete', '2'], { env: ALICE });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^Deleted #2: Second \(its id stays taken: \.hzl\/deleted\/2\.yml\)\n$/);
    expect(hzl(repo, ['task', 'show', '2']).status).toBe(3);
    const stone = readFileSync(join(repo, '.hzl', 'deleted', '2.yml'), 'utf8');
    expect(stone).toMatch(/^# hzl: task #2 was deleted/);
    expect(stone).toContain('title: Second');
    expect(stone).toContain('by: alice');
    // Even with the counter gone (a fresh clone), the next id is 3.
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'tasks');
    const clone = tempDir();
    git(clone, 'clone', '-q', repo, '.');
    expect(hzl(clone, ['task', 'add', 'Third'], { env: ALICE }).stdout).toBe('3\n');
  });

  it('a task with checkpoints needs --force; commit mode commits the removal and the tombstone', () => {
    const repo = oneTask();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'tasks');
    expect(hzl(repo, ['task', 'checkpoint', '1', 'started'], { env: ALICE }).status).toBe(0);
    const refused = hzl(repo, ['task', 'delete', '1'], { env: ALICE });
    expect(refused.status).toBe(4);
    expect(refused.stderr).toMatch(/has 1 checkpoint\(s\).*--force.*hzl task archive 1/);
    expect(existsSync(taskFile(repo, 1))).toBe(true);
    const r = hzl(repo, ['task', 'delete', '1', '--force', '--commit'], { env: ALICE });
    expect(r.status).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('hzl: #1 deleted by alice: Write the docs');
    expect(git(repo, 'show', '--name-status', '--format=', 'HEAD').trim().split('\n').sort()).toEqual([
      'A\t.hzl/deleted/1.yml',
      'D\t.hzl/tasks/1-write-the-docs.md',
    ]);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('a hostile .hzl/deleted', () => {
  it('a committed link at .hzl/deleted is refused before anything is written through it', () => {
    const repo = oneTask();
    const outside = tempDir();
    symlinkSync(outside, join(repo, '.hzl', 'deleted'));
    const r = hzl(repo, ['task', 'delete', '1'], { env: ALICE });
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/^hzl: \.hzl\/deleted is a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(taskFile(repo, 1))).toBe(true);
  });
});
