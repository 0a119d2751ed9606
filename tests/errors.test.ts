// Bad input, through the built CLI in real repositories: hzl refuses with one line on stderr
// (`hzl: ` + what + what to do) and its documented exit code, never a stack trace, and a refused
// command writes nothing.

import { spawnSync } from 'node:child_process';
import { renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HZL,
  type Run,
  baseEnv,
  hzl,
  readTask,
  runInProcess,
  snapshot,
  taskFile,
  tempDir,
  tempRepo,
} from './helpers.js';

runInProcess();

const ALICE = { HZL_AUTHOR: 'alice' };

/** A repository with tasks 1 (ready) and 2 (ready). */
function twoTasks(): string {
  const repo = tempRepo();
  expect(hzl(repo, ['task', 'add', 'Implement user authentication'], { env: ALICE }).stdout).toBe('1\n');
  expect(hzl(repo, ['task', 'add', 'Add rate limiting'], { env: ALICE }).stdout).toBe('2\n');
  return repo;
}

/** One line on stderr, starting `hzl: `, nothing that looks like a stack trace. */
function expectOneLine(r: Run): string {
  expect(r.stderr).toMatch(/^hzl: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|TypeError|node:internal|\.ts:\d+|\.js:\d+/);
  return r.stderr.slice('hzl: '.length, -1);
}

/** Runs a command that must be refused with `status`; returns the message. The files must not change. */
function refused(
  repo: string,
  args: string[],
  status: number,
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): string {
  const before = snapshot(repo);
  const r = hzl(repo, args, {
    env: { ...ALICE, ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  expect({ args, status: r.status, stderr: r.stderr }).toEqual({
    args,
    status,
    stderr: expect.stringMatching(/^hzl: [^\n]+\n$/),
  });
  expect(r.stdout).toBe('');
  const message = expectOneLine(r);
  expect(snapshot(repo)).toEqual(before);
  return message;
}

describe('task ids', () => {
  const bad = ['../x', '-1', 'abc', '0', '1.5', '99999999999999', '1e3', '0x1', '#', '1/../2', '', '1234567890'];
  const commands: Array<(id: string) => string[]> = [
    (id) => ['task', 'show', id],
    (id) => ['task', 'claim', id, '--author', 'claude-code'],
    (id) => ['task', 'checkpoint', id, 'Some progress'],
    (id) => ['task', 'complete', id],
    (id) => ['task', 'release', id],
    (id) => ['task', 'update', id, '--priority', '2'],
    (id) => ['task', 'history', id],
    (id) => ['task', 'block', id, '--reason', 'Waiting for keys'],
    (id) => ['task', 'unblock', id],
    (id) => ['task', 'reopen', id],
    (id) => ['task', 'archive', id],
    (id) => ['task', 'handoff', id, 'Tests remain'],
    (id) => ['task', 'steal', id, '--force', '--author', 'claude-code'],
  ];

  it('refuses ids that are not positive integers with exit 2, for every command', { timeout: 120_000 }, () => {
    const repo = twoTasks();
    for (const command of commands) {
      for (const id of bad) {
        const message = refused(repo, command(id), 2);
        expect(message).toMatch(/task id/);
        expect(message).toMatch(/like 1 or #1/);
      }
    }
  });

  it('an id too long to be one says how long ids can be', () => {
    expect(refused(twoTasks(), ['task', 'show', '1234567890'], 2)).toBe(
      "invalid task id '1234567890': task ids have at most 9 digits, like 1 or #1",
    );
  });

  it('a well-formed id that does not exist exits 3, naming it', () => {
    const repo = twoTasks();
    for (const command of commands) {
      const message = refused(repo, command('999'), 3);
      expect(message).toMatch(/^task #999 not found/);
      expect(message).toContain("'hzl task list'");
    }
    expect(refused(repo, ['task', 'add', 'Docs', '--depends-on', '999'], 3)).toMatch(/#999 not found/);
  });

  it('accepts #1 as well as 1', () => {
    const repo = twoTasks();
    const r = hzl(repo, ['task', 'show', '#1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Task #1: Implement user authentication\n/);
    expect(hzl(repo, ['task', 'claim', '#1', '--author', 'claude-code']).status).toBe(0);
    expect(hzl(repo, ['task', 'checkpoint', '#1', 'Designed schema']).status).toBe(0);
    expect(readTask(repo, 1)).toMatch(/^- \[[^\]]+\] claude-code: Designed schema$/m);
    expect(hzl(repo, ['task', 'add', 'Docs', '--depends-on', '#1,#2'], { env: ALICE }).status).toBe(0);
    expect(readTask(repo, 3)).toMatch(/^depends_on: \[1, 2\]$/m);
  });
});

describe('field values', () => {
  it('refuses an unknown status with exit 2, listing the real ones', () => {
    const repo = twoTasks();
    for (const args of [
      ['task', 'list', '--status', 'bogus'],
      ['task', 'list', '--status', 'ready,bogus'],
      ['task', 'add', 'New task', '--status', 'bogus'],
      ['task', 'add', 'New task', '-s', 'bogus'],
    ]) {
      expect(refused(repo, args, 2)).toBe(
        "unknown status 'bogus': use one of backlog, ready, in_progress, blocked, done, archived",
      );
    }
    // A real status that a new task cannot start in.
    expect(refused(repo, ['task', 'add', 'New task', '--status', 'done'], 2)).toMatch(/ready or backlog/);
  });

  it('refuses a priority outside 0-3 with exit 2', () => {
    const repo = twoTasks();
    for (const p of ['7', '-1', 'x', '1.5', '4', '']) {
      expect(refused(repo, ['task', 'add', 'New task', '-p', p], 2)).toMatch(/^invalid priority '[^']*': use 0-3/);
      expect(refused(repo, ['task', 'update', '1', '--priority', p], 2)).toMatch(/^invalid priority/);
    }
  });

  it('refuses control characters in a checkpoint, a title and stdin, with exit 2', () => {
    const repo = twoTasks();
    expect(refused(repo, ['task', 'checkpoint', '1', 'a\u0007b'], 2)).toBe(
      'the checkpoint contains a control character (U+0007): remove it',
    );
    // An escape sequence would repaint a reader's terminal.
    expect(refused(repo, ['task', 'checkpoint', '1', 'red \u001b[31m text'], 2)).toMatch(/U\+001B/);
    expect(refused(repo, ['task', 'checkpoint', '1', '-'], 2, { input: 'a\u0007b\n' })).toMatch(/U\+0007/);
    expect(refused(repo, ['task', 'add', 'a\u0007b'], 2)).toMatch(/^the title contains control characters/);
    expect(refused(repo, ['task', 'update', '1', '--title', 'a\u0007b'], 2)).toMatch(
      /^the title contains control characters/,
    );
    expect(refused(repo, ['task', 'add', 'Two\nlines'], 2)).toMatch(/^the title has a line break/);
    expect(refused(repo, ['task', 'add', 'New task', '-d', 'a\u0001b'], 2)).toMatch(/description/);
  });

  it('refuses an empty checkpoint with exit 2', () => {
    const repo = twoTasks();
    for (const text of ['', '   ', '\n\n']) {
      expect(refused(repo, ['task', 'checkpoint', '1', text], 2)).toMatch(/^the checkpoint is empty/);
    }
    expect(refused(repo, ['task', 'checkpoint', '1', '-'], 2, { input: '' })).toMatch(/^the checkpoint is empty/);
    expect(refused(repo, ['task', 'checkpoint', '1', '-'], 2, { input: '\n  \n' })).toMatch(/^the checkpoint is empty/);
    expect(refused(repo, ['task', 'add', '   '], 2)).toMatch(/^the title is empty/);
  });

  it('refuses authors that would break a checkpoint line, with exit 2', () => {
    const repo = twoTasks();
    for (const author of ['a:b', '[x]', 'a\nb', '']) {
      expect(refused(repo, ['task', 'claim', '1', '--author', author], 2)).toMatch(/^invalid author/);
    }
    expect(refused(repo, ['task', 'checkpoint', '1', 'x'], 2, { env: { HZL_AUTHOR: 'a:b' } })).toMatch(
      /from HZL_AUTHOR/,
    );
  });
});

describe('a malformed task file', () => {
  const BROKEN = ['---', 'id: 3', 'title: Broken', 'status: [oops', 'priority: 0', '---', ''].join('\n');

  function withBrokenTask(): string {
    const repo = twoTasks();
    writeFileSync(join(repo, '.hzl', 'tasks', '3-broken.md'), BROKEN);
    return repo;
  }

  it('a date that does not exist (February 31st) is malformed, with file and line', () => {
    const repo = twoTasks();
    const file = taskFile(repo, 1);
    writeFileSync(file, readTask(repo, 1).replace(/^created: .*$/m, 'created: 2024-02-31T10:00:00Z'));
    const r = hzl(repo, ['task', 'show', '1']);
    expect(r.status).toBe(5);
    expect(expectOneLine(r)).toMatch(/^\.hzl\/tasks\/1-implement-user-authentication\.md:\d+: .*created/);
    const list = hzl(repo, ['task', 'list']);
    expect(list.status).toBe(0);
    expect(list.stderr).toMatch(/1-implement-user-authentication\.md:\d+: .*created/);
  });

  it('list still lists the others, shows it as unreadable, exits 0 and warns naming the file', () => {
    const repo = withBrokenTask();
    const before = snapshot(repo);
    const r = hzl(repo, ['task', 'list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        String.raw`^1\tready\t0\t-\tImplement user authentication\n2\tready\t0\t-\tAdd rate limiting\n` +
          String.raw`3\tunreadable\t-\t-\t\.hzl\/tasks\/3-broken\.md:\d+: .+\n$`,
      ),
    );
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^hzl: warning: .*\.hzl\/tasks\/3-broken\.md:\d+: /);

    const json = hzl(repo, ['task', 'list', '--json']);
    expect(json.status).toBe(0);
    expect((JSON.parse(json.stdout) as { tasks: Array<{ id: number }> }).tasks.map((t) => t.id)).toEqual([1, 2]);
    expect(json.stderr).toContain('3-broken.md');
    expect(snapshot(repo)).toEqual(before);
  });

  it('show and every write of it exit 5 naming the file and line', () => {
    const repo = withBrokenTask();
    for (const args of [
      ['task', 'show', '3'],
      ['task', 'checkpoint', '3', 'Some progress'],
      ['task', 'claim', '3', '--author', 'claude-code'],
      ['task', 'complete', '3'],
    ]) {
      const message = refused(repo, args, 5);
      // Line 4 (`status: [oops`) opens the flow the YAML parser could not close; it reports it
      // at or just after that line.
      expect(message).toMatch(/^\.hzl\/tasks\/3-broken\.md:[45]: /);
    }
    // A field the parser reads but hzl cannot accept points at its own line.
    writeFileSync(
      join(repo, '.hzl', 'tasks', '3-broken.md'),
      BROKEN.replace('status: [oops', 'status: weird').replace(
        'priority: 0',
        'created: 2024-01-15T10:30:00Z\nupdated: 2024-01-15T10:30:00Z',
      ),
    );
    expect(refused(repo, ['task', 'show', '3'], 5)).toMatch(/^\.hzl\/tasks\/3-broken\.md:4: 'status' must be one of /);
    // The good tasks are still usable.
    expect(hzl(repo, ['task', 'checkpoint', '1', 'Still works']).status).toBe(0);
  });
});

describe('where hzl runs', () => {
  it('outside an initialized repository: exit 5, suggesting hzl init', () => {
    for (const dir of [tempDir(), tempRepo({ init: false })]) {
      for (const args of [
        ['task', 'list'],
        ['task', 'show', '1'],
        ['task', 'add', 'New task'],
        ['task', 'checkpoint', '1', 'x'],
      ]) {
        const r = hzl(dir, args, { env: ALICE });
        expect({ args, status: r.status }).toEqual({ args, status: 5 });
        expect(r.stdout).toBe('');
        expect(expectOneLine(r)).toMatch(/not an hzl project.*'hzl init'/);
      }
    }
  });

  it('a file where .hzl/tasks or the state folder in .git should be: exit 5, naming it', () => {
    const repo = twoTasks();
    const tasks = join(repo, '.hzl', 'tasks');
    renameSync(tasks, `${tasks}.aside`);
    writeFileSync(tasks, 'not a folder\n');
    for (const args of [
      ['task', 'list'],
      ['task', 'show', '1'],
      ['task', 'add', 'New'],
      ['task', 'checkpoint', '1', 'x'],
    ]) {
      const r = hzl(repo, args, { env: ALICE });
      expect({ args, status: r.status }).toEqual({ args, status: 5 });
      expect(expectOneLine(r)).toMatch(/^\.hzl\/tasks is not a folder/);
    }
    rmSync(tasks);
    renameSync(`${tasks}.aside`, tasks);

    writeFileSync(join(repo, '.git', 'hzl-aside'), '');
    rmSync(join(repo, '.git', 'hzl'), { recursive: true, force: true });
    writeFileSync(join(repo, '.git', 'hzl'), 'not a folder\n');
    for (const args of [
      ['task', 'checkpoint', '1', 'x'],
      ['task', 'add', 'New'],
    ]) {
      const r = hzl(repo, args, { env: ALICE });
      expect({ args, status: r.status }).toEqual({ args, status: 5 });
      expect(expectOneLine(r)).toMatch(/\.git\/hzl is not a folder/);
    }
    expect(hzl(repo, ['task', 'list']).status).toBe(0); // reading needs no lock: the caches just go unsaved
  });

  it('-C with a directory that does not exist: exit 2', () => {
    const repo = twoTasks();
    expect(refused(repo, ['-C', '/nonexistent', 'task', 'list'], 2)).toMatch(/'\/nonexistent'.*no such directory/);
    expect(refused(repo, ['task', 'show', '1', '-C', '/nonexistent'], 2)).toMatch(/no such directory/);
    expect(refused(repo, ['-C', '/nonexistent', 'task', 'checkpoint', '1', 'x'], 2)).toMatch(/no such directory/);
  });
});

describe('usage errors', () => {
  it('an unknown command exits 2 with one line that suggests the right one', () => {
    const repo = twoTasks();
    const message = refused(repo, ['tsk'], 2);
    expect(message).toContain('tsk');
    expect(message).toMatch(/did you mean 'task'|Did you mean task/);
    expect(refused(repo, ['task', 'shw', '1'], 2)).toMatch(/did you mean 'show'|Did you mean show/);
    expect(refused(repo, ['xyzzy'], 2)).toMatch(/xyzzy.*hzl --help/);
  });

  it('an unknown flag exits 2 with one line naming it and pointing at help', () => {
    const repo = twoTasks();
    const message = refused(repo, ['task', 'list', '--bogus'], 2);
    expect(message).toContain('bogus');
    expect(message).toMatch(/--help/);
    expect(refused(repo, ['task', 'checkpoint', '1', 'x', '--bogus'], 2)).toContain('bogus');
  });

  it('a missing argument exits 2 with one line', () => {
    const repo = twoTasks();
    expect(refused(repo, ['task', 'show'], 2)).toMatch(/--help/);
    expect(refused(repo, ['task', 'checkpoint', '1'], 2)).toMatch(/--help/);
    expect(refused(repo, ['task', 'block', '1'], 2)).toMatch(/reason/);
  });

  it('an option without its value exits 2 saying how to write it, instead of reading the next word as options', () => {
    const repo = twoTasks();
    {
      const env = {};
      expect(refused(repo, ['task', 'add', 'x', '-d', '-desc'], 2, { env })).toBe(
        "-d needs a value before '-desc': a value that starts with '-' must be written as '--description=-desc'; " +
          "see 'hzl task add --help'",
      );
      expect(refused(repo, ['task', 'list', '--status'], 2, { env })).toBe(
        "--status needs a value, as in '--status VALUE'; see 'hzl task list --help'",
      );
      expect(refused(repo, ['-C'], 2, { env })).toBe("-C needs a value, as in '-C VALUE'; see 'hzl --help'");
      expect(refused(repo, ['task', 'show', '1', '-C', '-x'], 2, { env })).toMatch(/'-C \.\/-x'/);
      // Asking for help is never an error.
      const help = hzl(repo, ['task', 'add', 'x', '-d', '--help'], { env });
      expect({ status: help.status, usage: help.stdout.includes('hzl task add') }).toEqual({ status: 0, usage: true });
    }
  });
});

describe('text that starts with a dash', () => {
  it('follows `--`, as with git: a title, a checkpoint (a Markdown bullet), a description given attached', () => {
    const repo = twoTasks();
    const run = (args: string[]) => hzl(repo, args, { env: ALICE });
    const task = (id: number) => JSON.parse(run(['task', 'show', String(id), '--json']).stdout).task;
    expect(run(['task', 'add', '--', '-leading', 'dash']).stdout).toBe('3\n');
    expect(task(3)).toMatchObject({ title: '-leading dash' });
    expect(run(['task', 'checkpoint', '1', '--', '- wired the store', '--json']).status).toBe(0);
    expect(task(1).checkpoints.at(-1)).toMatchObject({ text: '- wired the store --json' });
    expect(run(['task', 'add', 'Docs', '--description=-v prints the version']).status).toBe(0);
    expect(task(4)).toMatchObject({ description: '-v prints the version' });
  });
});

describe('transitions', () => {
  it('claim of a done task exits 4 and says how to reopen it', () => {
    const repo = twoTasks();
    expect(hzl(repo, ['task', 'complete', '1'], { env: ALICE }).status).toBe(0);
    expect(refused(repo, ['task', 'claim', '1', '--author', 'claude-code'], 4)).toMatch(
      /^cannot claim task #1: it is done; .*hzl task reopen 1/,
    );
  });

  it('a dependency cycle exits 4 and writes nothing', () => {
    const repo = twoTasks();
    expect(hzl(repo, ['task', 'update', '2', '--depends-on', '1'], { env: ALICE }).status).toBe(0);
    expect(refused(repo, ['task', 'update', '1', '--depends-on', '2'], 4)).toMatch(/cycle: #1 → #2 → #1/);
    expect(refused(repo, ['task', 'update', '1', '--depends-on', '1'], 4)).toMatch(/own dependency/);
  });

  it('release of a ready task exits 4', () => {
    const repo = twoTasks();
    expect(refused(repo, ['task', 'release', '1'], 4)).toMatch(/^cannot release task #1: it is ready/);
  });

  it('complete of a done task exits 0 and does not touch the file', () => {
    const repo = twoTasks();
    expect(hzl(repo, ['task', 'complete', '1'], { env: ALICE }).status).toBe(0);
    const before = snapshot(repo);
    // Dated an hour back: a rewrite, however soon, would give the file a new time.
    const past = new Date(Date.now() - 3_600_000);
    utimesSync(taskFile(repo, 1), past, past);
    const mtime = statSync(taskFile(repo, 1)).mtimeMs;
    const r = hzl(repo, ['task', 'complete', '1'], { env: ALICE });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('Task #1 was already done\n');
    expect(snapshot(repo)).toEqual(before);
    expect(statSync(taskFile(repo, 1)).mtimeMs).toBe(mtime);
    const json = hzl(repo, ['task', 'complete', '1', '--json'], { env: ALICE });
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ kind: 'task', changed: false, task: { status: 'done' } });
    expect(snapshot(repo)).toEqual(before);
  });

  it('complete -m of a done task keeps the note, as a checkpoint, and says so', () => {
    const repo = twoTasks();
    expect(hzl(repo, ['task', 'complete', '1'], { env: ALICE }).status).toBe(0);
    const r = hzl(repo, ['task', 'complete', '1', '-m', 'Follow-up: docs in docs/auth.md'], { env: ALICE });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('Task #1 was already done; the note is added as a checkpoint\n');
    const task = JSON.parse(hzl(repo, ['task', 'show', '1', '--json']).stdout).task;
    expect(task).toMatchObject({
      status: 'done',
      checkpoints: [{ author: 'alice', text: 'Follow-up: docs in docs/auth.md' }],
    });
    const history = task.history.map((h: { text: string }) => h.text);
    expect(history).toEqual(['created (ready)', 'completed (ready → done)']);
  });
});

describe('--json errors', () => {
  const cases: Array<{ args: string[]; exitCode: number; code: string; setup?: (repo: string) => void }> = [
    { args: ['task', 'show', 'abc', '--json'], exitCode: 2, code: 'usage' },
    { args: ['task', 'list', '--status', 'bogus', '--json'], exitCode: 2, code: 'usage' },
    { args: ['task', 'list', '--bogus', '--json'], exitCode: 2, code: 'usage' },
    { args: ['--json', 'tsk'], exitCode: 2, code: 'usage' },
    { args: ['task', 'show', '999', '--json'], exitCode: 3, code: 'not_found' },
    { args: ['task', 'release', '1', '--json'], exitCode: 4, code: 'conflict' },
    {
      args: ['task', 'show', '3', '--json'],
      exitCode: 5,
      code: 'invalid_data',
      setup: (repo) => writeFileSync(join(repo, '.hzl', 'tasks', '3-broken.md'), 'not front-matter\n'),
    },
  ];

  it('print one JSON error document on stderr and nothing else; stdout stays empty', () => {
    const repo = twoTasks();
    for (const { args, exitCode, code, setup } of cases) {
      setup?.(repo);
      const before = snapshot(repo);
      const r = hzl(repo, args, { env: ALICE });
      expect({ args, status: r.status }).toEqual({ args, status: exitCode });
      expect(r.stdout).toBe('');
      const doc = JSON.parse(r.stderr) as { error: { message: string } };
      expect(doc).toEqual({ schemaVersion: 1, kind: 'error', error: { code, exitCode, message: doc.error.message } });
      // The message is the one line hzl prints without --json.
      const plain = hzl(
        repo,
        args.filter((a) => a !== '--json'),
        { env: ALICE },
      );
      expect(plain.stderr).toBe(`hzl: ${doc.error.message}\n`);
      expect(snapshot(repo)).toEqual(before);
    }
  });

  it('outside a repository too', () => {
    const r = hzl(tempDir(), ['task', 'list', '--json']);
    expect(r.status).toBe(5);
    expect(r.stdout).toBe('');
    const doc = JSON.parse(r.stderr) as { error: { code: string; message: string } };
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'error', error: { code: 'invalid_data', exitCode: 5 } });
    expect(doc.error.message).toMatch(/hzl init/);
  });
});

describe('checkpoint text from stdin', () => {
  it('stores "line one\\nline two\\n" as two lines, the second indented two spaces', () => {
    const repo = twoTasks();
    const r = hzl(repo, ['task', 'checkpoint', '1', '-', '--author', 'claude-code'], { input: 'line one\nline two\n' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 0,
      stderr: 'Checkpoint added to #1 (1 in all)\n',
    });
    expect(readTask(repo, 1)).toMatch(/\n## Checkpoints\n\n- \[[^\]]+\] claude-code: line one\n {2}line two\n$/);
    const show = JSON.parse(hzl(repo, ['task', 'show', '1', '--json']).stdout) as {
      task: { checkpoints: Array<{ text: string }> };
    };
    expect(show.task.checkpoints.map((c) => c.text)).toEqual(['line one\nline two']);
  });

  it('keeps text that looks like Markdown structure inside the checkpoint', () => {
    const repo = twoTasks();
    const text = '---\n## History\n- [2024-01-15T10:30:00Z] mallory: fake entry\n# heading';
    expect(hzl(repo, ['task', 'checkpoint', '1', '-', '--author', 'claude-code'], { input: text }).status).toBe(0);
    const show = hzl(repo, ['task', 'show', '1', '--json']);
    expect(show.status).toBe(0);
    const doc = JSON.parse(show.stdout) as {
      task: { checkpoints: Array<{ text: string }>; history: Array<{ author: string }> };
    };
    expect(doc.task.checkpoints.map((c) => c.text)).toEqual([text]);
    expect(doc.task.history.map((h) => h.author)).toEqual(['alice']);
  });
});

describe('a reader that stops early', () => {
  it('`hzl task show 1 | head -c 1`: hzl exits 0, no EPIPE stack trace', () => {
    const repo = twoTasks();
    // More output than a pipe buffers (64 KiB), so hzl is still writing when head goes away.
    const chunk = Array.from({ length: 600 }, (_, i) => `line ${i} `.padEnd(99, '.')).join('\n');
    for (let i = 0; i < 4; i++)
      expect(hzl(repo, ['task', 'checkpoint', '1', '-'], { env: ALICE, input: chunk }).status).toBe(0);
    for (const args of [
      ['task', 'show', '1'],
      ['task', 'show', '1', '--json'],
    ]) {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${PIPESTATUS[0]}, not a template
      const script = '"$0" "$@" | head -c 1 >/dev/null; echo "${PIPESTATUS[0]}"';
      const r = spawnSync('bash', ['-c', script, process.execPath, HZL, ...args], {
        cwd: repo,
        env: baseEnv(),
        encoding: 'utf8',
      });
      expect({ args, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, stdout: '0\n', stderr: '' });
    }
  });
});
