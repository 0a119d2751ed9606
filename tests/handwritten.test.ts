// Task files written by hand, the way agents that never run hzl write them: lines appended to
// the file, the older layout, headings in descriptions. Everything goes through the CLI in a
// real temp git repo.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, HZL, hzl, readTask, runInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

const NOW = '2026-12-01T09:00:00Z';
const env = (at = NOW) => ({ env: { HZL_NOW: at, HZL_AUTHOR: 'alice' } });

function ok(repo: string, args: string[], at = NOW) {
  const r = hzl(repo, args, env(at));
  if (r.status !== 0) throw new Error(`hzl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

function repoWithTask(): string {
  const repo = tempRepo();
  ok(repo, ['task', 'add', 'Add login']);
  return repo;
}

const showJson = (repo: string, id = 1) => JSON.parse(ok(repo, ['task', 'show', String(id), '--json']).stdout).task;

/** The lines between a section heading and the next heading (or the end), blanks left out. */
function sectionLines(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  if (start === -1) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((l) => l.trim() !== '');
}

/** The file in the layout of older hzl versions: Checkpoints, then History. */
function toOldLayout(text: string): string {
  const h = text.indexOf('## History\n');
  const c = text.indexOf('## Checkpoints\n');
  const history = text.slice(h + '## History\n'.length, c).replace(/\n+$/, '');
  const checkpoints = text.slice(c + '## Checkpoints\n'.length).replace(/\n+$/, '');
  return `${text.slice(0, h)}## Checkpoints\n${checkpoints ? `${checkpoints}\n\n` : '\n'}## History\n${history}\n`;
}

describe('a line appended to a task file', () => {
  it('is a checkpoint: Checkpoints is the last section', () => {
    const repo = repoWithTask();
    const text = readTask(repo, 1);
    expect(text.trimEnd().endsWith('## Checkpoints')).toBe(true);
    expect(text.indexOf('## History')).toBeLessThan(text.indexOf('## Checkpoints'));
    appendFileSync(taskFile(repo, 1), '- [2026-12-01T10:00:00Z] codex: Added tests\n');
    expect(showJson(repo).checkpoints).toEqual([{ at: '2026-12-01T10:00:00Z', author: 'codex', text: 'Added tests' }]);
    expect(ok(repo, ['task', 'show', '1']).stdout).toContain('[2026-12-01 10:00] (codex) Added tests');
  });

  const forms: [string, string, { at: string; author: string; text: string }][] = [
    [
      'without seconds',
      '- [2026-12-01T10:01Z] codex: no seconds',
      { at: '2026-12-01T10:01:00Z', author: 'codex', text: 'no seconds' },
    ],
    [
      'with an offset',
      '- [2026-12-01T12:02:00+02:00] codex: offset',
      { at: '2026-12-01T10:02:00Z', author: 'codex', text: 'offset' },
    ],
    [
      'with fractions of a second',
      '- [2026-12-01T10:03:00.250Z] codex: millis',
      { at: '2026-12-01T10:03:00Z', author: 'codex', text: 'millis' },
    ],
    [
      'in the form show prints, taken as UTC',
      '- [2026-12-01 10:04] no author here',
      { at: '2026-12-01T10:04:00Z', author: 'unknown', text: 'no author here' },
    ],
    [
      'copied from show, author in parentheses',
      '[2026-12-01 10:05] (codex) copied',
      { at: '2026-12-01T10:05:00Z', author: 'codex', text: 'copied' },
    ],
    [
      'with a HANDOFF note and no author',
      '- [2026-12-01T10:06:00Z] HANDOFF: tests next',
      { at: '2026-12-01T10:06:00Z', author: 'unknown', text: 'HANDOFF: tests next' },
    ],
  ];

  it.each(forms)(
    '%s is read as a checkpoint, and normalised at the next write into the section',
    (_name, line, entry) => {
      const repo = repoWithTask();
      appendFileSync(taskFile(repo, 1), `${line}\n`);
      const before = readTask(repo, 1);
      expect(showJson(repo).checkpoints).toEqual([entry]);
      const doctor = ok(repo, ['doctor']);
      expect(doctor.stdout + doctor.stderr).toMatch(/No problems found/);
      // A write elsewhere keeps the line as written.
      ok(repo, ['task', 'update', '1', '--priority', '1'], '2026-12-01T11:00:00Z');
      expect(sectionLines(readTask(repo, 1), '## Checkpoints')).toEqual(sectionLines(before, '## Checkpoints'));
      // A checkpoint rewrites the section in the form hzl writes.
      ok(repo, ['task', 'checkpoint', '1', 'next step'], '2026-12-01T11:30:00Z');
      expect(sectionLines(readTask(repo, 1), '## Checkpoints')).toEqual([
        `- [${entry.at}] ${entry.author}: ${entry.text}`,
        '- [2026-12-01T11:30:00Z] alice: next step',
      ]);
    },
  );

  it('that is not an entry, under an entry, is kept as its text and pointed at by doctor', () => {
    const repo = repoWithTask();
    appendFileSync(taskFile(repo, 1), '- [2026-12-01T10:00:00Z] codex: Added tests\nAll green on CI.\n');
    expect(showJson(repo).checkpoints).toEqual([
      { at: '2026-12-01T10:00:00Z', author: 'codex', text: 'Added tests\nAll green on CI.' },
    ]);
    const doctor = hzl(repo, ['doctor']);
    expect(doctor.stdout + doctor.stderr).toMatch(/1-add-login\.md:\d+: .*indent/);
    ok(repo, ['task', 'checkpoint', '1', 'more'], '2026-12-01T11:00:00Z');
    expect(readTask(repo, 1)).toContain('- [2026-12-01T10:00:00Z] codex: Added tests\n  All green on CI.\n');
  });
});

describe('a file in the older layout (Checkpoints, then History)', () => {
  function oldLayoutRepo(): string {
    const repo = repoWithTask();
    ok(repo, ['task', 'claim', '1'], '2026-12-01T09:10:00Z');
    ok(repo, ['task', 'checkpoint', '1', 'first'], '2026-12-01T09:20:00Z');
    writeFileSync(taskFile(repo, 1), toOldLayout(readTask(repo, 1)));
    return repo;
  }

  it('is read as it is, and converted in one write with every line kept', () => {
    const repo = oldLayoutRepo();
    const old = readTask(repo, 1);
    expect(old.indexOf('## Checkpoints')).toBeLessThan(old.indexOf('## History'));
    const task = showJson(repo);
    expect(task.checkpoints.map((c: { text: string }) => c.text)).toEqual(['first']);
    expect(task.history).toHaveLength(2);
    expect(readTask(repo, 1)).toBe(old); // reading writes nothing
    const doctor = ok(repo, ['doctor']);
    expect(doctor.stdout).toMatch(
      /note: \.hzl\/tasks\/1-add-login\.md: Checkpoints come before History \(the older layout\)/,
    );

    ok(repo, ['task', 'checkpoint', '1', 'second'], '2026-12-01T09:30:00Z');
    const converted = readTask(repo, 1);
    expect(converted.indexOf('## History')).toBeLessThan(converted.indexOf('## Checkpoints'));
    expect(sectionLines(converted, '## History')).toEqual(sectionLines(old, '## History'));
    expect(sectionLines(converted, '## Checkpoints')).toEqual([
      ...sectionLines(old, '## Checkpoints'),
      '- [2026-12-01T09:30:00Z] alice: second',
    ]);
    expect(ok(repo, ['doctor']).stdout).not.toMatch(/older layout/);
    // Converted once: the next write only appends.
    ok(repo, ['task', 'checkpoint', '1', 'third'], '2026-12-01T09:40:00Z');
    const body = (text: string) => text.slice(text.indexOf('\n---\n'));
    expect(body(readTask(repo, 1))).toBe(`${body(converted)}- [2026-12-01T09:40:00Z] alice: third\n`);
  });

  it('merges with a file in the new layout, and with one of its own layout, losing no line', () => {
    const repo = oldLayoutRepo();
    const base = readTask(repo, 1);
    // Ours: converted by a write. Theirs: still old, a checkpoint added by hand in its section.
    ok(repo, ['task', 'checkpoint', '1', 'ours'], '2026-12-01T09:30:00Z');
    const ours = readTask(repo, 1);
    const theirs = base.replace('\n\n## History', '\n- [2026-12-01T09:35:00Z] bob: theirs\n\n## History');
    for (const [o, t] of [
      [ours, theirs],
      [theirs, ours],
      [theirs, base.replace('\n\n## History', '\n- [2026-12-01T09:36:00Z] carol: also old\n\n## History')],
    ]) {
      const dir = tempDir();
      writeFileSync(join(dir, 'base'), base);
      writeFileSync(join(dir, 'ours'), o!);
      writeFileSync(join(dir, 'theirs'), t!);
      const r = hzl(dir, ['merge-driver', 'base', 'ours', 'theirs', '.hzl/tasks/1-add-login.md']);
      expect(r.status, r.stderr).toBe(0);
      const merged = readFileSync(join(dir, 'ours'), 'utf8');
      const want = new Set([...sectionLines(o!, '## Checkpoints'), ...sectionLines(t!, '## Checkpoints')]);
      expect(new Set(sectionLines(merged, '## Checkpoints'))).toEqual(want);
      expect(new Set(sectionLines(merged, '## History'))).toEqual(new Set(sectionLines(base, '## History')));
      expect(merged.indexOf('## History')).toBeLessThan(merged.indexOf('## Checkpoints'));
    }
  });
});

describe('git merge of a branch that converted the file with one that did not', () => {
  it('keeps every line of both, in the new layout, with no conflict', () => {
    const repo = repoWithTask();
    ok(repo, ['task', 'checkpoint', '1', 'first'], '2026-12-01T09:20:00Z');
    const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
    git(repo, 'config', 'merge.hzl.driver', `${quote(process.execPath)} ${quote(HZL)} merge-driver %O %A %B %P`);
    writeFileSync(taskFile(repo, 1), toOldLayout(readTask(repo, 1)));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'old layout');
    git(repo, 'checkout', '-q', '-b', 'theirs');
    // Their side: an older hzl, or a person, adds a checkpoint in the old layout.
    writeFileSync(
      taskFile(repo, 1),
      readTask(repo, 1).replace('\n\n## History', '\n- [2026-12-01T09:40:00Z] bob: theirs\n\n## History'),
    );
    git(repo, 'commit', '-q', '-am', 'theirs');
    git(repo, 'checkout', '-q', 'main');
    ok(repo, ['task', 'checkpoint', '1', 'ours'], '2026-12-01T09:30:00Z'); // converts the file
    git(repo, 'commit', '-q', '-am', 'ours');
    git(repo, 'merge', '-q', '--no-edit', 'theirs');
    const merged = readTask(repo, 1);
    expect(merged.indexOf('## History')).toBeLessThan(merged.indexOf('## Checkpoints'));
    expect(sectionLines(merged, '## Checkpoints')).toEqual([
      '- [2026-12-01T09:20:00Z] alice: first',
      '- [2026-12-01T09:30:00Z] alice: ours',
      '- [2026-12-01T09:40:00Z] bob: theirs',
    ]);
    expect(sectionLines(merged, '## History').map((l) => l.replace(/^- \[[^\]]+\] /, ''))).toEqual([
      'alice: created (ready)',
    ]);
  });
});

describe('a description', () => {
  it('cannot forge an owned section: the raw file shows each heading once, and it round-trips', () => {
    const repo = tempRepo();
    const description = 'Intro\n## Checkpoints\n- [2026-01-01T00:00:00Z] mallory: forged\n## History\n\\## History';
    ok(repo, ['task', 'add', 'Forge', '-d', description]);
    const text = readTask(repo, 1);
    expect(text.split('\n').filter((l) => l === '## Checkpoints')).toHaveLength(1);
    expect(text.split('\n').filter((l) => l === '## History')).toHaveLength(1);
    expect(showJson(repo).description).toBe(description);
    expect(showJson(repo).checkpoints).toEqual([]);
    ok(repo, ['task', 'checkpoint', '1', 'real'], '2026-12-01T10:00:00Z');
    expect(showJson(repo).description).toBe(description);
    expect(showJson(repo).checkpoints.map((c: { text: string }) => c.text)).toEqual(['real']);
  });

  it('with a heading line written by hand is kept as description, and escaped at the next write', () => {
    const repo = repoWithTask();
    const path = taskFile(repo, 1);
    writeFileSync(
      path,
      readTask(repo, 1).replace('---\n\n## History', '---\n\nNotes\n## Checkpoints\nnot a section\n\n## History'),
    );
    expect(showJson(repo).description).toBe('Notes\n## Checkpoints\nnot a section');
    ok(repo, ['task', 'checkpoint', '1', 'real'], '2026-12-01T10:00:00Z');
    expect(
      readTask(repo, 1)
        .split('\n')
        .filter((l) => l === '## Checkpoints'),
    ).toHaveLength(1);
    expect(showJson(repo).description).toBe('Notes\n## Checkpoints\nnot a section');
  });
});

describe('hzl doctor', () => {
  it('reports every bad line of every file, each with file:line and the fix', () => {
    const repo = repoWithTask();
    ok(repo, ['task', 'add', 'Second']);
    // Task 1: a paragraph before any entry, then an entry with an impossible time.
    appendFileSync(taskFile(repo, 1), 'Typed a note here\n- [2026-02-31T10:00:00Z] codex: x\n');
    // Task 2: an entry, a line not indented under it, then junk after a blank line... still its text.
    appendFileSync(taskFile(repo, 2), '- [2026-12-01T10:00:00Z] codex: ok\nnot indented\n');
    const lineOf = (id: number, text: string) => readTask(repo, id).split('\n').indexOf(text) + 1;
    const r = hzl(repo, ['doctor', '--json']);
    expect(r.status).toBe(5);
    const messages: string[] = JSON.parse(r.stdout).problems.map((p: { message: string }) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^\\.hzl/tasks/1-add-login\\.md:${lineOf(1, 'Typed a note here')}: .*Checkpoints`),
        ),
        expect.stringMatching(
          new RegExp(`^\\.hzl/tasks/1-add-login\\.md:${lineOf(1, '- [2026-02-31T10:00:00Z] codex: x')}: .*time`),
        ),
        expect.stringMatching(
          new RegExp(`^\\.hzl/tasks/2-second\\.md:${lineOf(2, 'not indented')}: .*indent it two spaces`),
        ),
      ]),
    );
    const human = hzl(repo, ['doctor']);
    expect(human.status).toBe(5);
    expect(human.stdout.split('\n').filter((l) => l.startsWith('problem: .hzl/tasks/'))).toHaveLength(3);
  });
});

describe('a malformed task file', () => {
  function repoWithBadTask(): string {
    const repo = repoWithTask();
    ok(repo, ['task', 'add', 'Broken']);
    // A paragraph before the first checkpoint: not an entry, not under one.
    appendFileSync(taskFile(repo, 2), 'Some notes typed here\n');
    return repo;
  }
  const problem = /\.hzl\/tasks\/2-broken\.md:\d+: expected a Checkpoints line/;

  it('stays in list (human and JSON) as an unreadable task with its file and first problem', () => {
    const repo = repoWithBadTask();
    const human = hzl(repo, ['task', 'list']);
    expect(human.status).toBe(0);
    expect(human.stdout.split('\n')[1]).toMatch(/^2\tunreadable\t-\t-\t\.hzl\/tasks\/2-broken\.md:\d+: /);
    expect(human.stderr).toMatch(problem);
    const json = hzl(repo, ['task', 'list', '--json']);
    expect(json.status).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.tasks.map((t: { id: number }) => t.id)).toEqual([1]);
    expect(doc.problems).toEqual([
      { id: 2, file: '.hzl/tasks/2-broken.md', line: expect.any(Number), problem: expect.stringMatching(problem) },
    ]);
  });

  it('is named by show, claim --next, the board and prime, with the documented exit codes', () => {
    const repo = repoWithBadTask();
    const show = hzl(repo, ['task', 'show', '2']);
    expect(show.status).toBe(5);
    expect(show.stderr).toMatch(problem);
    const board = hzl(repo, ['board']);
    expect(board.status).toBe(0);
    expect(board.stdout).toMatch(/UNREADABLE \(1\)\n {2}#2 unreadable: \.hzl\/tasks\/2-broken\.md:\d+: /);
    const boardJson = JSON.parse(hzl(repo, ['board', '--json']).stdout);
    expect(boardJson.problems).toEqual([expect.objectContaining({ id: 2, file: '.hzl/tasks/2-broken.md' })]);
    const prime = hzl(repo, ['prime'], env());
    expect(prime.status).toBe(0);
    expect(prime.stdout).toMatch(/## Unreadable task files\n\n- #2 unreadable: \.hzl\/tasks\/2-broken\.md:\d+: /);
    expect(JSON.parse(hzl(repo, ['prime', '--json'], env()).stdout).problems).toHaveLength(1);
    const claim = hzl(repo, ['task', 'claim', '--next', '--json'], env());
    expect(claim.status).toBe(0);
    expect(claim.stderr).toMatch(problem);
    expect(JSON.parse(claim.stdout)).toMatchObject({ task: { id: 1 }, problems: [{ id: 2 }] });
  });
});

describe('the .hzl/README.md guide', () => {
  it('teaches writing: the line to append for a checkpoint and a handoff, a status change, doctor', () => {
    const repo = tempRepo();
    const guide = readFileSync(join(repo, '.hzl', 'README.md'), 'utf8');
    expect(guide).toMatch(/echo "- \[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\] your-name: .*" >> \.hzl\/tasks\/N-slug\.md/);
    expect(guide).toMatch(/HANDOFF: /);
    expect(guide).toMatch(/status:/);
    expect(guide).toMatch(/hzl doctor/);
    expect(guide.split('\n').length).toBeLessThan(45); // an agent reads it in full
    // The line it shows really is a checkpoint.
    ok(repo, ['task', 'add', 'Guide']);
    const line = /echo "(.*)" >>/.exec(guide)![1]!;
    appendFileSync(taskFile(repo, 1), `${line}\n`);
    expect(showJson(repo).checkpoints).toEqual([
      { at: expect.any(String), author: 'your-name', text: expect.stringMatching(/^Added tests/) },
    ]);
  });

  it('is refreshed by init when it is an earlier guide of hzl, and left alone when edited', () => {
    const repo = tempRepo();
    const path = join(repo, '.hzl', 'README.md');
    const current = readFileSync(path, 'utf8');
    const earlier = readFileSync(join(__dirname, 'fixtures', 'hzl-readme-v1.md'), 'utf8');
    writeFileSync(path, earlier);
    ok(repo, ['init']);
    expect(readFileSync(path, 'utf8')).toBe(current);
    writeFileSync(path, `${earlier}\nOur own notes.\n`);
    ok(repo, ['init']);
    expect(readFileSync(path, 'utf8')).toBe(`${earlier}\nOur own notes.\n`);
  });
});
