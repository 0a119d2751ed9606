// Every command of the core through the CLI: transitions with their History lines,
// list filters, update, author resolution, init.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, hzl, readTask, runInProcess, snapshot, tempDir, tempRepo } from './helpers.js';

runInProcess();

const env = (at: string, author = 'alice') => ({ env: { HZL_NOW: at, HZL_AUTHOR: author } });

function historyOf(repo: string, id: number): string[] {
  return JSON.parse(hzl(repo, ['task', 'history', String(id), '--json']).stdout).history.map(
    (h: { author: string; text: string }) => `${h.author}: ${h.text}`,
  );
}

function statusOf(repo: string, id: number): string {
  return JSON.parse(hzl(repo, ['task', 'show', String(id), '--json']).stdout).task.status;
}

describe('transitions', () => {
  it('walks a task through every status, one History line per change', () => {
    const repo = tempRepo();
    const at = '2024-01-15T10:00:00Z';
    expect(hzl(repo, ['task', 'add', 'Later', '--status', 'backlog'], env(at)).status).toBe(0);
    expect(statusOf(repo, 1)).toBe('backlog');
    expect(hzl(repo, ['task', 'claim', '1', '--author', 'bob'], env(at)).status).toBe(0);
    expect(hzl(repo, ['task', 'block', '1', '--reason', 'waiting on ops'], env(at, 'bob')).status).toBe(0);
    expect(statusOf(repo, 1)).toBe('blocked');
    expect(hzl(repo, ['task', 'unblock', '1'], env(at, 'bob')).status).toBe(0);
    expect(statusOf(repo, 1)).toBe('in_progress'); // author still set
    expect(hzl(repo, ['task', 'release', '1'], env(at, 'bob')).status).toBe(0);
    expect(statusOf(repo, 1)).toBe('ready');
    expect(hzl(repo, ['task', 'block', '1', '--reason', 'again'], env(at)).status).toBe(0);
    expect(hzl(repo, ['task', 'unblock', '1'], env(at)).status).toBe(0);
    expect(statusOf(repo, 1)).toBe('ready'); // nobody holds it
    expect(hzl(repo, ['task', 'complete', '1', '-m', 'shipped'], env(at)).status).toBe(0);
    expect(hzl(repo, ['task', 'reopen', '1'], env(at)).status).toBe(0);
    expect(hzl(repo, ['task', 'archive', '1'], env(at)).status).toBe(0);
    expect(statusOf(repo, 1)).toBe('archived');
    expect(historyOf(repo, 1)).toEqual([
      'alice: created (backlog)',
      'bob: claimed (backlog → in_progress, lease 2h)',
      'bob: blocked (in_progress → blocked)',
      'bob: unblocked (blocked → in_progress)',
      'bob: released (in_progress → ready)',
      'alice: blocked (ready → blocked)',
      'alice: unblocked (blocked → ready)',
      'alice: completed (ready → done)',
      'alice: reopened (done → ready)',
      'alice: archived (ready → archived)',
    ]);
    const text = readTask(repo, 1);
    expect(text).toContain('] bob: BLOCKED: waiting on ops\n');
    expect(text).toContain('] alice: shipped\n');
  });

  it('refuses invalid transitions with exit 4 and writes nothing', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'A'], env('2024-01-15T10:00:00Z'));
    const cases: Array<[string[], RegExp]> = [
      [['task', 'release', '1'], /cannot release task #1: it is ready/],
      [['task', 'unblock', '1'], /cannot unblock task #1: it is ready/],
      [['task', 'reopen', '1'], /cannot reopen task #1: it is ready/],
    ];
    for (const [args, message] of cases) {
      const before = snapshot(repo);
      const r = hzl(repo, args, env('2024-01-15T10:00:00Z'));
      expect(r.status).toBe(4);
      expect(r.stderr).toMatch(message);
      expect(snapshot(repo)).toEqual(before);
    }
    hzl(repo, ['task', 'archive', '1'], env('2024-01-15T10:00:00Z'));
    const r = hzl(repo, ['task', 'checkpoint', '1', 'x'], env('2024-01-15T10:00:00Z'));
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/reopen/);
  });

  it('claim: a second author is refused naming the holder; the holder renews', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'A'], env('2024-01-15T10:00:00Z'));
    expect(hzl(repo, ['task', 'claim', '1', '--author', 'claude-code'], env('2024-01-15T10:00:00Z')).status).toBe(0);
    const other = hzl(repo, ['task', 'claim', '1', '--author', 'codex'], env('2024-01-15T10:30:00Z'));
    expect(other.status).toBe(4);
    expect(other.stderr).toBe(
      'hzl: task #1 is already claimed by claude-code since 2024-01-15 10:00, lease until 2024-01-15 12:00: ' +
        "pick another task, or take it over with 'hzl task steal 1 --force'\n",
    );
    const renew = hzl(
      repo,
      ['task', 'claim', '1', '--author', 'claude-code', '--lease', '30m'],
      env('2024-01-15T11:00:00Z'),
    );
    expect(renew.status).toBe(0);
    expect(readTask(repo, 1)).toMatch(/^lease_until: 2024-01-15T11:30:00Z$/m);
    expect(historyOf(repo, 1).at(-1)).toBe('claude-code: claim renewed (lease 30m)');
  });

  it('claim: refused while a dependency is unfinished, unless --force', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Base'], env('2024-01-15T10:00:00Z'));
    hzl(repo, ['task', 'add', 'Top', '--depends-on', '1'], env('2024-01-15T10:00:00Z'));
    const r = hzl(repo, ['task', 'claim', '2', '--author', 'bob'], env('2024-01-15T10:00:00Z'));
    expect(r.status).toBe(4);
    expect(r.stderr).toMatch(/depends on unfinished #1 \(ready\)/);
    expect(hzl(repo, ['task', 'claim', '2', '--author', 'bob', '--force'], env('2024-01-15T10:00:00Z')).status).toBe(0);
  });

  it('checkpoint: the holder extends the lease by the claimed length; others do not', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'A'], env('2024-01-15T10:00:00Z'));
    hzl(repo, ['task', 'claim', '1', '--author', 'claude-code', '--lease', '1h'], env('2024-01-15T10:00:00Z'));
    hzl(repo, ['task', 'checkpoint', '1', 'mine'], { env: { HZL_NOW: '2024-01-15T10:40:00Z' } });
    expect(readTask(repo, 1)).toMatch(/^lease_until: 2024-01-15T11:40:00Z$/m);
    hzl(repo, ['task', 'checkpoint', '1', 'not mine'], env('2024-01-15T10:50:00Z', 'reviewer'));
    expect(readTask(repo, 1)).toMatch(/^lease_until: 2024-01-15T11:40:00Z$/m);
    expect(readTask(repo, 1)).toContain('] reviewer: not mine\n');
  });
});

describe('list', () => {
  function repoWithTasks() {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Old low', '-p', '0', '-t', 'backend'], env('2024-01-15T10:00:00Z'));
    hzl(repo, ['task', 'add', 'Urgent', '-p', '3', '-t', 'backend,auth'], env('2024-01-15T11:00:00Z'));
    hzl(repo, ['task', 'add', 'Middle', '-p', '1', '--parent', '2'], env('2024-01-15T12:00:00Z'));
    hzl(repo, ['task', 'add', 'Waiting', '-p', '3', '--depends-on', '1'], env('2024-01-15T13:00:00Z'));
    hzl(repo, ['task', 'add', 'Gone'], env('2024-01-15T14:00:00Z'));
    hzl(repo, ['task', 'claim', '1', '--author', 'claude-code'], env('2024-01-15T15:00:00Z'));
    hzl(repo, ['task', 'archive', '5'], env('2024-01-15T15:00:00Z'));
    return repo;
  }
  const ids = (r: { stdout: string }) =>
    r.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => Number(l.split('\t')[0]));

  it('filters by status, author, tag, parent; hides archived unless asked', () => {
    const repo = repoWithTasks();
    expect(ids(hzl(repo, ['task', 'list']))).toEqual([1, 2, 3, 4]);
    expect(ids(hzl(repo, ['task', 'list', '--all']))).toEqual([1, 2, 3, 4, 5]);
    expect(ids(hzl(repo, ['task', 'list', '--status', 'archived']))).toEqual([5]);
    expect(ids(hzl(repo, ['task', 'list', '--status', 'ready', '--status', 'in_progress']))).toEqual([1, 2, 3, 4]);
    expect(ids(hzl(repo, ['task', 'list', '--author', 'claude-code']))).toEqual([1]);
    expect(ids(hzl(repo, ['task', 'list', '--tag', 'auth']))).toEqual([2]);
    expect(ids(hzl(repo, ['task', 'list', '--parent', '2']))).toEqual([3]);
  });

  it('sorts by priority then age, limits, and lists what is available', () => {
    const repo = repoWithTasks();
    expect(ids(hzl(repo, ['task', 'list', '--sort', 'priority']))).toEqual([2, 4, 3, 1]);
    expect(ids(hzl(repo, ['task', 'list', '--sort', 'priority', '--limit', '2']))).toEqual([2, 4]);
    // 1 is claimed, 2 has an open subtask, 4 waits for 1: only 3 is available.
    expect(ids(hzl(repo, ['task', 'list', '--available']))).toEqual([3]);
  });

  it('says so on stderr when nothing matches, and exits 0', () => {
    const repo = tempRepo();
    const r = hzl(repo, ['task', 'list']);
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: 'No tasks match.\n' });
  });
});

describe('update', () => {
  it('changes only the named fields, keeps the file name, and records what changed', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'Original title', '-t', 'a'], env('2024-01-15T10:00:00Z'));
    hzl(repo, ['task', 'add', 'Other'], env('2024-01-15T10:00:00Z'));
    const before = readTask(repo, 1);
    const r = hzl(
      repo,
      ['task', 'update', '1', '--title', 'New title', '--add-tag', 'b', '-p', '2', '--depends-on', '2'],
      env('2024-01-15T11:00:00Z'),
    );
    expect(r.status).toBe(0);
    const after = readTask(repo, 1);
    expect(existsSync(join(repo, '.hzl/tasks/1-original-title.md'))).toBe(true);
    const changed = after.split('\n').filter((l) => !before.split('\n').includes(l));
    expect(changed).toEqual([
      'title: New title',
      'priority: 2',
      'tags: [a, b]',
      'depends_on: [2]',
      'updated: 2024-01-15T11:00:00Z',
      '- [2024-01-15T11:00:00Z] alice: updated title (was: Original title); ' +
        'priority 0 → 2; tags [a] → [a, b]; depends_on [] → [2]',
    ]);
    const same = hzl(repo, ['task', 'update', '1', '-p', '2'], env('2024-01-15T12:00:00Z'));
    expect(same.status).toBe(0);
    expect(readTask(repo, 1)).toBe(after); // a write that changes nothing does not touch the file
  });

  it('refuses a dependency cycle, naming it, and a missing task', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'A'], env('2024-01-15T10:00:00Z'));
    hzl(repo, ['task', 'add', 'B', '--depends-on', '1'], env('2024-01-15T10:00:00Z'));
    const cycle = hzl(repo, ['task', 'update', '1', '--depends-on', '2'], env('2024-01-15T10:00:00Z'));
    expect(cycle.status).toBe(4);
    expect(cycle.stderr).toMatch(/cycle: #1 → #2 → #1/);
    expect(hzl(repo, ['task', 'update', '1', '--depends-on', '9'], env('2024-01-15T10:00:00Z')).status).toBe(3);
    expect(hzl(repo, ['task', 'update', '1'], env('2024-01-15T10:00:00Z')).status).toBe(2);
  });
});

describe('author resolution', () => {
  it('uses --author, then HZL_AUTHOR, then the holder, then config, then git user.name', () => {
    const repo = tempRepo();
    const at = { HZL_NOW: '2024-01-15T10:00:00Z' };
    hzl(repo, ['task', 'add', 'A'], { env: at }); // git user.name: Test User
    hzl(repo, ['task', 'claim', '1', '--author', 'holder'], { env: at });
    hzl(repo, ['task', 'checkpoint', '1', 'by the holder'], { env: at });
    hzl(repo, ['task', 'checkpoint', '1', 'by env'], { env: { ...at, HZL_AUTHOR: 'env-agent' } });
    hzl(repo, ['task', 'checkpoint', '1', 'by flag', '--author', 'flag-agent'], {
      env: { ...at, HZL_AUTHOR: 'env-agent' },
    });
    const text = readTask(repo, 1);
    expect(text).toContain('] Test User: created (ready)');
    expect(text).toContain('] holder: by the holder');
    expect(text).toContain('] env-agent: by env');
    expect(text).toContain('] flag-agent: by flag');
  });

  it('asks for --author when nothing names the actor', () => {
    const repo = tempRepo({ user: false });
    const r = hzl(repo, ['task', 'add', 'A']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "hzl: who is acting? pass --author NAME, set HZL_AUTHOR, or set 'author' in .hzl/config.yml\n",
    );
  });
});

describe('init', () => {
  it('is idempotent and writes the layout at the top of the worktree', () => {
    const repo = tempRepo({ init: false });
    mkdirSync(join(repo, 'src'));
    const r = hzl(join(repo, 'src'), ['init']);
    expect(r.status).toBe(0);
    for (const f of ['.hzl/config.yml', '.hzl/README.md', '.hzl/.gitignore', '.hzl/tasks/.gitkeep']) {
      expect(existsSync(join(repo, f))).toBe(true);
    }
    const attributes = '.hzl/** text eol=lf\n.hzl/tasks/*.md merge=hzl\n';
    expect(readFileSync(join(repo, '.gitattributes'), 'utf8')).toBe(attributes);
    expect(git(repo, 'config', '--get', 'merge.hzl.driver')).toMatch(
      new RegExp(
        String.raw`'\/.*' '\/.*bin\/hzl\.js' merge-driver %O %A %B %P && exit 0; ` +
          String.raw`.*git merge-file -L ours -L base -L theirs %A %O %B\n$`,
      ),
    );
    const again = hzl(repo, ['init']);
    expect(again.stderr).toMatch(/already set up/);
    expect(readFileSync(join(repo, '.gitattributes'), 'utf8')).toBe(attributes);
  });

  it('finds .hzl/ from a subdirectory and with -C', () => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'A'], env('2024-01-15T10:00:00Z'));
    const elsewhere = tempDir();
    expect(hzl(elsewhere, ['-C', repo, 'task', 'show', '1']).status).toBe(0);
    expect(hzl(join(repo, '.hzl', 'tasks'), ['task', 'show', '1']).status).toBe(0);
  });

  it('works outside git, keeping local state in .hzl/.local', () => {
    const dir = tempDir();
    const r = hzl(dir, ['init']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: not a git repository/);
    expect(hzl(dir, ['task', 'add', 'A'], env('2024-01-15T10:00:00Z')).status).toBe(0);
    expect(existsSync(join(dir, '.hzl', '.local', 'last-id'))).toBe(true);
  });
});
