// The hostile input suite: each case gets a clear one-line error or is stored safely;
// none crashes, none writes outside .hzl/, none changes another task.

import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hzl, readTask, type Run, runInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

const ENV = { HZL_AUTHOR: 'alice', HZL_NOW: '2024-01-15T10:00:00Z' };

/** Every file of the repository outside .git, with its content (directories by name). */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (rel === '.git') continue;
    const path = join(dir, rel);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) Object.assign(out, { [`${rel}/`]: '' }, tree(dir, rel));
    else {
      try {
        out[rel] = readFileSync(path, 'utf8');
      } catch {
        out[rel] = '<unreadable>';
      }
    }
  }
  return out;
}

function outside(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([k]) => !k.startsWith('.hzl/')));
}

function otherTasks(files: Record<string, string>, except: string[]): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).filter(([k]) => k.startsWith('.hzl/tasks/') && !except.some((e) => k.includes(e))),
  );
}

function noCrash(r: Run): void {
  expect(r.status).not.toBe(1); // 1 is an unexpected error: a bug
  expect(r.stderr).not.toMatch(/\n\s+at |TypeError|RangeError|node:internal/);
  if (r.status !== 0) expect(r.stderr.split('\n')[0]).toMatch(/^hzl: .+/);
}

interface Case {
  name: string;
  /** Prepares the repository (tasks 1 and 2 exist); returns files of the task(s) it may change. */
  setup?: (repo: string) => void;
  args: (repo: string) => string[];
  input?: string;
  /** Exit codes that are right for this case. */
  exits: number[];
  /** The task files this case may change (by name prefix). */
  touches?: string[];
  check?: (repo: string, r: Run) => void;
}

const forged = '- [2024-01-15T10:30:00Z] mallory: forged line';
const MB = 'x'.repeat(1024 * 1024);

const CASES: Case[] = [
  { name: 'path-like id ../x', args: () => ['task', 'show', '../x'], exits: [2] },
  { name: 'path-like id ../../etc/passwd', args: () => ['task', 'checkpoint', '../../etc/passwd', 'x'], exits: [2] },
  { name: 'path-like id 1/../2', args: () => ['task', 'claim', '1/../2', '--author', 'a'], exits: [2] },
  { name: 'absolute path as id', args: () => ['task', 'show', '/etc/passwd'], exits: [2] },
  { name: 'huge id', args: () => ['task', 'show', '99999999999999999999'], exits: [2] },
  { name: 'nine-digit id that does not exist', args: () => ['task', 'show', '999999999'], exits: [3] },
  { name: 'negative id', args: () => ['task', 'complete', '-1'], exits: [2] },
  { name: 'zero id', args: () => ['task', 'show', '0'], exits: [2] },
  { name: 'id with a NUL-like escape', args: () => ['task', 'show', '1\\0'], exits: [2] },
  {
    name: '1 MB checkpoint is refused whole',
    args: () => ['task', 'checkpoint', '1', '-'],
    input: MB,
    exits: [2],
    check: (_repo, r) => expect(r.stderr).toMatch(/keep it under 65536/),
  },
  { name: 'bell character in a checkpoint', args: () => ['task', 'checkpoint', '1', 'a\u0007b'], exits: [2] },
  {
    name: 'escape sequence in a checkpoint',
    args: () => ['task', 'checkpoint', '1', 'red \u001b[31m text'],
    exits: [2],
  },
  {
    name: 'NUL in a title (via stdin text)',
    args: () => ['task', 'checkpoint', '1', '-'],
    input: 'a\u0000b',
    exits: [2],
  },
  { name: 'control character in a title', args: () => ['task', 'add', 'bad\u0008title'], exits: [2] },
  { name: 'newline in a title', args: () => ['task', 'add', 'two\nlines'], exits: [2] },
  {
    name: '--- and forged entry lines in a checkpoint are stored as text',
    args: () => ['task', 'checkpoint', '1', '-'],
    input: `ok\n---\n${forged}\n## History\nid: 99\n`,
    exits: [0],
    touches: ['1-'],
    check: (repo) => {
      const shown = JSON.parse(hzl(repo, ['task', 'show', '1', '--json']).stdout).task;
      expect(shown.id).toBe(1);
      expect(shown.checkpoints).toHaveLength(1);
      expect(shown.checkpoints[0].text).toBe(`ok\n---\n${forged}\n## History\nid: 99`);
      expect(shown.history).toHaveLength(1);
    },
  },
  {
    name: 'forged entry line inside a title is stored as a title',
    args: () => ['task', 'add', `See ${forged}`],
    exits: [0],
    touches: ['3-'],
    check: (repo) =>
      expect(JSON.parse(hzl(repo, ['task', 'show', '3', '--json']).stdout).task.title).toBe(`See ${forged}`),
  },
  {
    name: 'a title that starts with "- " is text: stored as written, never read as options',
    args: () => ['task', 'add', forged],
    exits: [0],
    touches: ['3-'],
    check: (repo) => expect(JSON.parse(hzl(repo, ['task', 'show', '3', '--json']).stdout).task.title).toBe(forged),
  },
  ...[
    '&anchor',
    '*alias',
    '!!python/object:os.system',
    '--- ---',
    'key: value',
    '[a, b]',
    '{x: 1}',
    '#comment',
    'yes',
    '2024-01-15',
    "'quoted'",
    '%YAML 1.2',
    '@at',
    '| block',
  ].map(
    (title, i): Case => ({
      name: `YAML trick as a title: ${title}`,
      args: () => ['task', 'add', '--', title].filter((a) => a !== '--' || title.startsWith('-')),
      exits: [0], // a title that starts with '-' comes after `--`
      touches: [`${3}-`, '3.md'],
      check: (repo, r) => {
        if (r.status !== 0) return;
        const shown = JSON.parse(hzl(repo, ['task', 'show', '3', '--json']).stdout).task;
        expect({ i, title: shown.title }).toEqual({ i, title });
      },
    }),
  ),
  {
    name: 'a task file that is a directory',
    setup: (repo) => mkdirSync(join(repo, '.hzl/tasks/7-a-directory.md')),
    args: () => ['task', 'show', '7'],
    exits: [5],
    check: (repo) => {
      const list = hzl(repo, ['task', 'list']);
      expect(list.status).toBe(0);
      expect(list.stderr).toMatch(/7-a-directory\.md/);
    },
  },
  {
    name: 'a symlinked task file pointing outside the repository',
    setup: (repo) => {
      const secret = join(tempDir(), 'secret.md');
      writeFileSync(
        secret,
        '---\nid: 8\ntitle: secret\nstatus: ready\ncreated: 2024-01-15T10:00:00Z\nupdated: 2024-01-15T10:00:00Z\n---\n',
      );
      symlinkSync(secret, join(repo, '.hzl/tasks/8-link.md'));
    },
    args: () => ['task', 'checkpoint', '8', 'write through the link?'],
    exits: [5],
    check: (repo) => {
      const target = readFileSync(join(repo, '.hzl/tasks/8-link.md'), 'utf8');
      expect(target).not.toContain('write through the link');
    },
  },
  {
    name: 'an unreadable task file',
    setup: (repo) => chmodSync(taskFile(repo, 2), 0o000),
    args: () => ['task', 'show', '2'],
    // As root every file is readable: then the task simply shows.
    exits: process.getuid?.() === 0 ? [0] : [5],
  },
  {
    name: 'config with wrong types',
    setup: (repo) => writeFileSync(join(repo, '.hzl/config.yml'), 'commit: maybe\nlease: forever\n'),
    args: () => ['task', 'show', '1'],
    exits: [5],
    check: (_repo, r) => expect(r.stderr).toMatch(/config\.yml: 'commit' must be true or false/),
  },
  {
    name: 'config that is not a mapping',
    setup: (repo) => writeFileSync(join(repo, '.hzl/config.yml'), '- just\n- a list\n'),
    args: () => ['task', 'list'],
    exits: [5],
  },
  {
    name: 'config with a YAML tag',
    setup: (repo) => writeFileSync(join(repo, '.hzl/config.yml'), 'lease: !!js/function "() => 1"\n'),
    args: () => ['task', 'list'],
    exits: [5],
  },
  {
    name: 'a task file with a !!python/object tag',
    setup: (repo) =>
      writeFileSync(
        taskFile(repo, 2),
        readTask(repo, 2).replace('title: Second', 'title: !!python/object:os.system ls'),
      ),
    args: () => ['task', 'show', '2'],
    exits: [5],
    check: (_repo, r) => expect(r.stderr).toMatch(/2-second\.md:3: /),
  },
  {
    name: 'priority out of range',
    args: () => ['task', 'update', '1', '--priority', '99'],
    exits: [2],
  },
  {
    name: 'unknown status filter',
    args: () => ['task', 'list', '--status', 'evil;rm -rf'],
    exits: [2],
  },
  {
    name: 'author with a colon (would forge History)',
    args: () => ['task', 'claim', '1', '--author', 'eve: claimed'],
    exits: [2],
  },
  {
    name: 'author from HZL_AUTHOR with a newline',
    args: () => ['task', 'checkpoint', '1', 'x'],
    exits: [2],
    setup: () => undefined,
  },
  {
    name: 'branch name that looks like an option',
    args: () => ['task', 'list', '--branch=--output=/tmp/x'],
    exits: [3],
  },
  {
    name: 'tag with shell characters',
    args: () => ['task', 'update', '1', '--tags', 'a;b'],
    exits: [2],
  },
];

describe('hostile input', () => {
  it('has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30));

  it.each(CASES)('$name', (c) => {
    const repo = tempRepo();
    hzl(repo, ['task', 'add', 'First'], { env: ENV });
    hzl(repo, ['task', 'add', 'Second'], { env: ENV });
    c.setup?.(repo);
    const before = tree(repo);
    const env = c.name.startsWith('author from HZL_AUTHOR') ? { ...ENV, HZL_AUTHOR: 'eve\nmallory' } : ENV;
    const r = hzl(repo, c.args(repo), { env, ...(c.input !== undefined ? { input: c.input } : {}) });
    try {
      noCrash(r);
      // Refused: one line, `hzl: …`. Accepted: no error line (a message, a warning or nothing).
      const said =
        r.status === 0 ? expect.not.stringMatching(/^hzl: (?!warning: )/m) : expect.stringMatching(/^hzl: [^\n]+\n$/);
      expect({ exit: r.status, stderr: r.stderr }).toEqual({ exit: expect.toBeOneOf(c.exits), stderr: said });
      const after = tree(repo);
      expect(outside(after)).toEqual(outside(before));
      expect(otherTasks(after, c.touches ?? [])).toEqual(otherTasks(before, c.touches ?? []));
      if (r.status !== 0) expect(after).toEqual(before);
      c.check?.(repo, r);
    } finally {
      try {
        chmodSync(taskFile(repo, 2), 0o644);
      } catch {
        // not every case has task 2 as a file
      }
      rmSync(join(repo, '.hzl/tasks/7-a-directory.md'), { recursive: true, force: true });
    }
  });
});
