// Hostile repositories: what a cloned repository can hold that hzl must not trust. Links on
// hzl's own paths, terminal escapes in hand-edited task files, and YAML built to exhaust the
// parser. Each attack gets a clear error (or is shown harmlessly); the rest keeps working.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTaskFile } from '../src/format/task-file.js';
import { visible } from '../src/output/visible.js';
import { baseEnv, git, HZL, hzl, readTask, type Run, runInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

const ENV = { HZL_AUTHOR: 'alice', HZL_NOW: '2024-01-15T10:00:00Z' };

/** A repository with tasks 1 and 2. */
function repoWithTasks(): string {
  const repo = tempRepo();
  for (const title of ['First', 'Second']) {
    const r = hzl(repo, ['task', 'add', title], { env: ENV });
    if (r.status !== 0) throw new Error(r.stderr);
  }
  return repo;
}

/** Every name and content under `dir`, to prove nothing was written there. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    try {
      out[name] = readFileSync(join(dir, name), 'utf8');
    } catch {
      out[name] = '<dir>';
    }
  }
  return out;
}

function refusedWith(r: Run, exit: number, pattern: RegExp): void {
  expect({ status: r.status, stderr: r.stderr }).toEqual({ status: exit, stderr: expect.stringMatching(pattern) });
  expect(r.stderr).not.toMatch(/\n\s+at |TypeError|RangeError/);
}

describe('links on hzl paths', () => {
  /** Moves `rel` (inside the repository) out to a fresh directory and leaves a link in its place. */
  function linkOut(repo: string, rel: string): string {
    const outside = join(tempDir(), 'target');
    renameSync(join(repo, rel), outside);
    symlinkSync(outside, join(repo, rel));
    return outside;
  }

  it.each(['.hzl/tasks', '.hzl'])('a linked %s is refused by every command, which writes nothing through it', (rel) => {
    const repo = repoWithTasks();
    const outside = linkOut(repo, rel);
    const before = contents(outside);
    for (const args of [
      ['task', 'list'],
      ['task', 'show', '1'],
      ['task', 'add', 'Third'],
      ['task', 'checkpoint', '1', 'x'],
      ['init'],
    ]) {
      const r = hzl(repo, args, { env: ENV });
      refusedWith(r, 5, new RegExp(`^hzl: ${rel.replace('.', '\\.')} is a symbolic link; `));
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
    expect(contents(outside)).toEqual(before);
  });

  it('a committed link at .hzl/tasks in a fresh clone is refused, and doctor reports it', () => {
    const origin = repoWithTasks();
    const outside = tempDir();
    rmSync(join(origin, '.hzl/tasks'), { recursive: true });
    symlinkSync(outside, join(origin, '.hzl/tasks'));
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'evil');
    const clone = join(tempDir(), 'clone');
    git(tempDir(), 'clone', '-q', origin, clone);
    refusedWith(hzl(clone, ['task', 'add', 'Sneaky'], { env: ENV }), 5, /^hzl: \.hzl\/tasks is a symbolic link; /);
    expect(readdirSync(outside)).toEqual([]);
    const doctor = hzl(clone, ['doctor'], { env: ENV });
    expect(doctor.status).toBe(5);
    expect(doctor.stdout).toMatch(/^problem: \.hzl\/tasks is a symbolic link; /m);
    const json = hzl(clone, ['doctor', '--json'], { env: ENV });
    expect(JSON.parse(json.stdout).problems).toEqual([
      expect.objectContaining({ code: 'linked-path', file: '.hzl/tasks' }),
    ]);
  });

  it('a linked .hzl/config.yml is refused rather than read', () => {
    const repo = repoWithTasks();
    linkOut(repo, '.hzl/config.yml');
    refusedWith(hzl(repo, ['task', 'list'], { env: ENV }), 5, /^hzl: \.hzl\/config\.yml is a symbolic link; /);
  });

  it('a linked .hzl/.local (the state folder outside git) is refused', () => {
    const dir = tempDir();
    expect(hzl(dir, ['init']).status).toBe(0);
    expect(hzl(dir, ['task', 'add', 'One'], { env: ENV }).status).toBe(0);
    const outside = linkOut(dir, '.hzl/.local');
    const before = contents(outside);
    refusedWith(hzl(dir, ['task', 'add', 'Two'], { env: ENV }), 5, /^hzl: \.hzl\/\.local is a symbolic link; /);
    expect(contents(outside)).toEqual(before);
  });

  it.each(['.git/hzl', '.git/hzl/locks'])('a linked %s (state in the git dir) is refused', (rel) => {
    const repo = repoWithTasks();
    mkdirSync(join(repo, '.git/hzl/locks'), { recursive: true });
    const outside = linkOut(repo, rel);
    const before = contents(outside);
    refusedWith(
      hzl(repo, ['task', 'checkpoint', '1', 'x'], { env: ENV }),
      5,
      new RegExp(`^hzl: ${rel.replace(/\./g, '\\.')} is a symbolic link; `),
    );
    expect(contents(outside)).toEqual(before);
  });

  it('a task file that is a link is listed as unreadable, refused by writes, reported by doctor', () => {
    const repo = repoWithTasks();
    const secret = join(tempDir(), 'secret.md');
    const text = readTask(repo, 2);
    writeFileSync(secret, text);
    rmSync(taskFile(repo, 2));
    symlinkSync(secret, join(repo, '.hzl/tasks/2-second.md'));
    const list = hzl(repo, ['task', 'list'], { env: ENV });
    expect(list.status).toBe(0);
    expect(list.stdout).toBe(
      '1\tready\t0\t-\tFirst\n2\tunreadable\t-\t-\t.hzl/tasks/2-second.md:1: is not a regular file; ' +
        'task files must be plain files, not links or directories\n',
    );
    expect(list.stderr).toMatch(/2-second\.md:1: is not a regular file/);
    refusedWith(
      hzl(repo, ['task', 'checkpoint', '2', 'through the link?'], { env: ENV }),
      5,
      /2-second\.md:1: is not a regular file/,
    );
    expect(readFileSync(secret, 'utf8')).toBe(text);
    const doctor = hzl(repo, ['doctor'], { env: ENV });
    expect(doctor.status).toBe(5);
    expect(doctor.stdout).toMatch(/problem: .*2-second\.md:1: is not a regular file/);
  });
});

// A hand-edited (or merged) file with terminal escapes and a title built to forge list rows.
const EVIL_TITLE = 'Evil\u001b]0;pwned\u0007\n9\tready\t0\t-\tforged row';
function writeEvilTask(repo: string): void {
  const file = [
    '---',
    'id: 3',
    `title: ${JSON.stringify(EVIL_TITLE)}`,
    'status: in_progress',
    'priority: 0',
    'author: alice',
    'tags: ["x\\e[31m"]',
    'lease_until: 2024-01-15T09:00:00Z',
    'created: 2024-01-15T08:00:00Z',
    'updated: 2024-01-15T08:00:00Z',
    '---',
    'Desc \u001b[2J clears the screen',
    'and \u009b31m is a one-byte CSI \u202e reversed',
    '',
    '## Checkpoints',
    '',
    '- [2024-01-15T08:30:00Z] mal\u001bclory: did \u001b[31mred\u001b[0m work',
    '- [2024-01-15T08:40:00Z] alice: HANDOFF: over \u001b[5m to you',
    '',
    '## History',
    '',
    '- [2024-01-15T08:00:00Z] mal\u001bclory: created \u001b[31m(ready)',
    '',
  ].join('\n');
  writeFileSync(join(repo, '.hzl/tasks/3-evil.md'), file);
}

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('control characters in human output', () => {
  it('one function makes them visible: \\e, \\n, \\t and \\xNN or \\uNNNN', () => {
    expect(visible('a\u001b[31mb\u0007c')).toBe('a\\e[31mb\\x07c');
    expect(visible('one\ntwo\tthree\r')).toBe('one\\ntwo\\tthree\\r');
    expect(visible('csi \u009b bidi \u202e line \u2028 lone \ud800 ok é 😀')).toBe(
      'csi \\u009b bidi \\u202e line \\u2028 lone \\ud800 ok é 😀',
    );
    expect(visible('keeps\nlines\tand tabs \u001b', { multiline: true })).toBe('keeps\nlines\tand tabs \\e');
  });

  it.each([
    'task show 3',
    'task list',
    'task list --all',
    'task history 3',
    'task search evil',
    'task search work',
    'task stuck',
    'board',
  ])('%s prints no raw control characters', (line) => {
    const args = line.split(' ');
    const repo = repoWithTasks();
    writeEvilTask(repo);
    const r = hzl(repo, args, { env: ENV });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toMatch(/\\e|\\n/);
  });

  it('prime shows the held task without raw escapes', () => {
    const repo = repoWithTasks();
    writeEvilTask(repo);
    const r = hzl(repo, ['prime'], { env: ENV });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('- #3 Evil\\e]0;pwned\\x07\\n9\\tready');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
  });

  it('piped list cannot be forged: one row per task, five fields each', () => {
    const repo = repoWithTasks();
    writeEvilTask(repo);
    const r = hzl(repo, ['task', 'list'], { env: ENV });
    const rows = r.stdout.trimEnd().split('\n');
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.split('\t')).toHaveLength(5);
    expect(rows[2]).toBe('3\tin_progress\t0\talice\tEvil\\e]0;pwned\\x07\\n9\\tready\\t0\\t-\\tforged row');
    const stuck = hzl(repo, ['task', 'stuck'], { env: ENV }).stdout.trimEnd().split('\n');
    expect(stuck).toHaveLength(1);
    expect(stuck[0]!.split('\t')).toHaveLength(4);
  });

  it('show keeps the layout of multi-line text and escapes the rest', () => {
    const repo = repoWithTasks();
    writeEvilTask(repo);
    const out = hzl(repo, ['task', 'show', '3'], { env: ENV }).stdout;
    expect(out).toContain('Task #3: Evil\\e]0;pwned\\x07\\n9\\tready\\t0\\t-\\tforged row\n');
    expect(out).toContain('Tags: x\\e[31m\n');
    expect(out).toContain(
      'Description:\n  Desc \\e[2J clears the screen\n  and \\u009b31m is a one-byte CSI \\u202e reversed\n',
    );
    expect(out).toContain('(mal\\eclory) did \\e[31mred\\e[0m work');
  });

  it('--json keeps the exact text, with C1 and bidi characters escaped as \\u', () => {
    const repo = repoWithTasks();
    writeEvilTask(repo);
    for (const args of [
      ['task', 'show', '3', '--json'],
      ['task', 'list', '--json'],
      ['task', 'search', 'evil', '--json'],
    ]) {
      const r = hzl(repo, args, { env: ENV });
      expect(r.status).toBe(0);
      expect(r.stdout).not.toMatch(RAW_CONTROL);
      expect(r.stdout).not.toMatch(/[\u2028\u2029]/);
      expect(JSON.stringify(JSON.parse(r.stdout))).toContain(JSON.stringify(EVIL_TITLE).slice(1, -1));
    }
    const task = JSON.parse(hzl(repo, ['task', 'show', '3', '--json']).stdout).task;
    expect(task.title).toBe(EVIL_TITLE);
    expect(task.description).toContain('\u009b31m');
  });

  it('changes renders escapes visibly in its Markdown', () => {
    const repo = repoWithTasks();
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'tasks');
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeEvilTask(repo);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'evil');
    const r = hzl(repo, ['changes', 'main'], { env: ENV });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('### #3 Evil\\e]0;pwned');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
  });

  it('a write names the task on one stderr line, escaped, also in commit mode', () => {
    const repo = repoWithTasks();
    writeEvilTask(repo);
    const r = hzl(repo, ['task', 'complete', '3', '--commit'], { env: ENV });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Completed #3: Evil\\e]0;pwned\\x07\\n9\\tready\\t0\\t-\\tforged row');
    expect(lines[1]).toMatch(/^Committed [0-9a-f]{7} hzl: #3 completed by .*: Evil\?\]0;pwned\?\?9\?ready/);
    // git log shows no control character of the title either.
    expect(git(repo, 'log', '-1', '--format=%B')).not.toMatch(RAW_CONTROL);
  });

  it('warnings and errors that name a hostile file name print it escaped', () => {
    const repo = repoWithTasks();
    writeFileSync(join(repo, '.hzl/tasks/4-\u001b[31mred.md'), 'not a task\n');
    const list = hzl(repo, ['task', 'list'], { env: ENV });
    expect(list.status).toBe(0);
    expect(list.stderr).toContain('4-\\e[31mred.md');
    expect(list.stderr).not.toMatch(RAW_CONTROL);
    const show = hzl(repo, ['task', 'show', '4'], { env: ENV });
    expect(show.status).toBe(5);
    expect(show.stderr).toMatch(/^hzl: \.hzl\/tasks\/4-\\e\[31mred\.md:1: /);
    expect(show.stderr).not.toMatch(RAW_CONTROL);
    const doctor = hzl(repo, ['doctor'], { env: ENV });
    expect(doctor.status).toBe(5);
    expect(doctor.stdout).toContain('4-\\e[31mred.md');
    expect(doctor.stdout).not.toMatch(RAW_CONTROL);
  });
});

/** `n` anchors, each a list of ten aliases of the one before: 10^n values once expanded. */
function aliasBomb(levels = 9): string {
  const lines = ['lol0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `lol${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}

/** Task 2's file with `yaml` added at the end of its front-matter. */
function poisonTask2(repo: string, yaml: string): string {
  const file = taskFile(repo, 2);
  writeFileSync(file, readTask(repo, 2).replace(/\n---\n/, `\n${yaml}---\n`));
  return file;
}

/** Runs hzl and fails the test if it takes longer than a busy machine needs for a small repository. */
function quick(repo: string, args: string[]): Run {
  const r = spawnSync(process.execPath, [HZL, ...args], {
    cwd: repo,
    env: baseEnv(ENV),
    encoding: 'utf8',
    timeout: 15_000,
  });
  expect(r.signal, `hzl ${args.join(' ')} was killed after 15 s`).toBeNull();
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('YAML built to exhaust the parser', () => {
  const ATTACKS: Array<[string, string, RegExp]> = [
    [
      'a 1 KB alias bomb in an unknown key',
      aliasBomb(),
      /2-second\.md:\d+: front-matter expands to more than 10000 values/,
    ],
    [
      '2,000-deep flow nesting',
      `deep: ${'['.repeat(2000)}${']'.repeat(2000)}\n`,
      /2-second\.md:\d+: front-matter nests deeper than 64 levels/,
    ],
    [
      '65-deep block nesting',
      `deep:\n${Array.from({ length: 65 }, (_, i) => `${'  '.repeat(i)}- `).join('\n')}x\n`,
      /2-second\.md:\d+: front-matter nests deeper than 64 levels/,
    ],
    [
      'an alias inside its own anchor',
      'loop: &l [*l]\n',
      /2-second\.md:\d+: front-matter has an alias inside the value it names/,
    ],
    [
      'over 64 KiB of front-matter',
      `big: "${'x'.repeat(70 * 1024)}"\n`,
      /2-second\.md:\d+: front-matter is more than 65536 characters/,
    ],
  ];

  it.each(ATTACKS)(
    '%s: that file is malformed (exit 5 naming it), the rest keeps working',
    { timeout: 120_000 },
    (_name, yaml, message) => {
      const repo = repoWithTasks();
      poisonTask2(repo, yaml);
      const warned = (r: Run) => {
        expect(r.status).toBe(0);
        expect(r.stderr).toMatch(message);
      };
      warned(quick(repo, ['task', 'list']));
      const listJson = quick(repo, ['task', 'list', '--json']);
      warned(listJson);
      expect(JSON.parse(listJson.stdout).tasks.map((t: { id: number }) => t.id)).toEqual([1]);
      warned(quick(repo, ['task', 'search', 'First']));
      warned(quick(repo, ['board']));
      refusedWith(quick(repo, ['task', 'show', '2']), 5, message);
      refusedWith(quick(repo, ['task', 'checkpoint', '2', 'held the lock?']), 5, message);
      expect(quick(repo, ['task', 'checkpoint', '1', 'still fine']).status).toBe(0);
      expect(quick(repo, ['task', 'show', '1']).status).toBe(0);
      const doctor = quick(repo, ['doctor']);
      expect(doctor.status).toBe(5);
      expect(doctor.stdout).toMatch(message);
    },
  );

  it('the merge driver falls back to a line merge quickly when a side is a bomb', () => {
    const repo = repoWithTasks();
    const base = readTask(repo, 2);
    const ours = base.replace('title: Second', 'title: Second (ours)');
    const theirs = base.replace(/\n---\n/, `\n${aliasBomb()}---\n`);
    const dir = tempDir();
    writeFileSync(join(dir, 'O'), base);
    writeFileSync(join(dir, 'A'), ours);
    writeFileSync(join(dir, 'B'), theirs);
    const r = quick(dir, ['merge-driver', 'O', 'A', 'B', '.hzl/tasks/2-second.md']);
    expect(r.status).toBe(0); // the two sides touched different lines
    expect(readFileSync(join(dir, 'A'), 'utf8')).toContain('title: Second (ours)');
  });

  it('a bomb in .hzl/config.yml is refused naming the file', () => {
    const repo = repoWithTasks();
    writeFileSync(join(repo, '.hzl/config.yml'), aliasBomb());
    refusedWith(quick(repo, ['task', 'list']), 5, /^hzl: \.hzl\/config\.yml:\d+: .*expands to more than 10000 values/);
  });

  it.each([
    [
      '65 flow levels',
      `deep: ${'['.repeat(65)}${']'.repeat(65)}\n`,
      /t\.md:2: front-matter nests deeper than 64 levels/,
    ],
    ['65 compact sequences', `deep: \n  ${'- '.repeat(65)}x\n`, /t\.md:2: front-matter nests deeper than 64 levels/],
    [
      'an alias used 10,001 times',
      `a: &a x\nb: [${Array(10_001).fill('*a').join(', ')}]\n`,
      /t\.md:3: front-matter expands to more than 10000 values/,
    ],
  ])('the parser refuses %s, naming the line', (_name, yaml, message) => {
    const text =
      `---\n${yaml}id: 1\ntitle: T\nstatus: ready\n` +
      'created: 2024-01-15T10:00:00Z\nupdated: 2024-01-15T10:00:00Z\n---\n';
    expect(() => parseTaskFile(text, 't.md')).toThrow(message);
  });

  it('small anchors and aliases, and ordinary nesting, still parse', () => {
    const text =
      '---\nid: 1\ntitle: T\nstatus: ready\ncreated: 2024-01-15T10:00:00Z\nupdated: 2024-01-15T10:00:00Z\n' +
      'x-base: &b {a: [1, 2]}\nx-copy: *b\nx-deep: [[[[[[[[1]]]]]]]]\n---\n';
    const doc = parseTaskFile(text, 't.md');
    expect(doc.extra['x-copy']).toEqual({ a: [1, 2] });
  });
});

describe('state files that are not regular files', () => {
  it.each(['index.json', 'notes.json', 'search.cache', 'last-id'])(
    'a FIFO or a link at .git/hzl/%s is skipped, not read',
    (name) => {
      const repo = repoWithTasks();
      const path = join(repo, '.git/hzl', name);
      rmSync(path, { force: true });
      const made = spawnSync('mkfifo', [path]);
      if (made.status !== 0) return; // no mkfifo here: nothing to test
      for (const args of [
        ['task', 'list', '--json'],
        ['task', 'search', 'First'],
        ['task', 'add', 'Third'],
      ]) {
        const r = quick(repo, args);
        expect({ args, status: r.status }).toEqual({ args, status: 0 });
      }
      const outside = join(tempDir(), 'elsewhere');
      writeFileSync(outside, '99\n');
      rmSync(path, { force: true });
      symlinkSync(outside, path);
      expect(quick(repo, ['task', 'add', 'Fourth']).stdout).toBe('4\n'); // the link's 99 is not the counter
      expect(quick(repo, ['task', 'list']).status).toBe(0);
      expect(readFileSync(outside, 'utf8')).toBe('99\n');
    },
  );
});
