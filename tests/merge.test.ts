// The merge driver: unit tests of the pure merge, then real `git merge`s of
// branches that worked on one task, then a seeded random walk of edits on two branches.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MERGE_ACTOR, mergeEntries, mergeTasks } from '../src/core/merge.js';
import type { Entry, Task } from '../src/core/task.js';
import { parseTaskFile, renderTaskFile } from '../src/format/task-file.js';
import { mergeTexts } from '../src/git/merge-file.js';
import { baseEnv, git, hzl, HZL, hzlAsync, readTask, runInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

runInProcess();

// ---------------------------------------------------------------------------------------------
// Helpers

const BASE_TIME = '2024-01-15T09:00:00Z';
const stamp = (minutes: number) =>
  new Date(Date.parse(BASE_TIME) + minutes * 60_000).toISOString().replace(/\.000Z$/, 'Z');

function makeTask(over: Partial<Task> = {}): Task {
  return {
    id: 1,
    title: 'Implement user authentication',
    status: 'ready',
    priority: 0,
    tags: [],
    depends_on: [],
    created: BASE_TIME,
    updated: BASE_TIME,
    description: 'Users sign up and log in.',
    checkpoints: [],
    history: [{ at: BASE_TIME, author: 'alice', text: 'created (ready)' }],
    ...over,
  };
}

const entry = (minutes: number, text: string, author = 'alice'): Entry => ({ at: stamp(minutes), author, text });
const noExtras = { base: {}, ours: {}, theirs: {} };
const noTextMerge = () => {
  throw new Error('the text merge should not be needed');
};

/** Registers the driver the way `hzl init` does (words quoted for sh), and commits the project. */
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
const DRIVER = `${quote(process.execPath)} ${quote(HZL)} merge-driver %O %A %B %P`;
const ATTRIBUTE = '.hzl/tasks/*.md merge=hzl';
function useDriver(repo: string): void {
  git(repo, 'config', 'merge.hzl.name', 'hzl task merge');
  git(repo, 'config', 'merge.hzl.driver', DRIVER);
  const path = join(repo, '.gitattributes');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (!current.split('\n').includes(ATTRIBUTE)) writeFileSync(path, `${current}${ATTRIBUTE}\n`);
  commitAll(repo, 'hzl init');
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  if (git(dir, 'status', '--porcelain').trim() !== '') git(dir, 'commit', '-q', '-m', message);
}

/** A worktree on a new branch from HEAD: the other side of the merge, edited in parallel. */
function branchWorktree(repo: string, branch: string): string {
  const dir = join(tempDir(), 'wt');
  git(repo, 'worktree', 'add', '-q', '-b', branch, dir);
  return dir;
}

function merge(repo: string, branch: string) {
  const r = spawnSync('git', ['merge', '--no-ff', '--no-edit', branch], {
    cwd: repo,
    env: baseEnv(),
    encoding: 'utf8',
  });
  return { status: r.status, output: r.stdout + r.stderr, unmerged: git(repo, 'ls-files', '-u').trim() };
}

const as = (minutes: number, author = 'alice') => ({ env: { HZL_NOW: stamp(minutes), HZL_AUTHOR: author } });

function run(dir: string, args: string[], minutes: number, author = 'alice') {
  const r = hzl(dir, args, as(minutes, author));
  if (r.status !== 0) throw new Error(`hzl ${args.join(' ')} failed: ${r.stderr}`);
  return r;
}

const parse = (text: string) => parseTaskFile(text, 'task.md');
const keyOf = (e: Entry) => JSON.stringify([e.at, e.author, e.text]);
const sorted = (entries: Entry[]) => entries.map(keyOf).sort();

function expectTimeOrder(entries: Entry[]): void {
  const times = entries.map((e) => e.at);
  expect(times).toEqual([...times].sort());
}

/** `a` plus `b` minus `base`, as multisets of entries. */
function multisetMerge(base: Entry[], a: Entry[], b: Entry[]): string[] {
  const out = [...a.map(keyOf), ...b.map(keyOf)];
  for (const k of base.map(keyOf)) out.splice(out.indexOf(k), 1);
  return out.sort();
}

// ---------------------------------------------------------------------------------------------
// The pure merge

describe('mergeEntries', () => {
  const base = [entry(0, 'one'), entry(10, 'two')];

  it('keeps shared lines once and adds what each side appended, in time order', () => {
    const ours = [...base, entry(20, 'ours A'), entry(40, 'ours B')];
    const theirs = [...base, entry(30, 'theirs A'), entry(50, 'theirs B')];
    expect(mergeEntries(base, ours, theirs).map((e) => e.text)).toEqual([
      'one',
      'two',
      'ours A',
      'theirs A',
      'ours B',
      'theirs B',
    ]);
  });

  it('counts: a line both sides added on their own stays twice; a line added on one side once', () => {
    const same = entry(20, 'Ran the tests');
    const merged = mergeEntries(base, [...base, same], [...base, same, entry(30, 'more')]);
    expect(merged.filter((e) => e.text === 'Ran the tests')).toHaveLength(2);
    expect(merged).toHaveLength(5);
    // Both sides inherited the line from base: once.
    expect(mergeEntries([...base, same], [...base, same], [...base, same])).toHaveLength(3);
  });

  it('ties in time: base first, then ours, then theirs', () => {
    const t = [entry(20, 'theirs', 'bob')];
    const o = [entry(20, 'ours', 'alice')];
    const b = [entry(20, 'base', 'carol')];
    expect(mergeEntries(b, [...b, ...o], [...b, ...t]).map((e) => e.text)).toEqual(['base', 'ours', 'theirs']);
  });

  it('a line one side removed goes (files are append-only; this is a hand edit)', () => {
    expect(mergeEntries(base, [base[1]!], base).map((e) => e.text)).toEqual(['two']);
  });

  it('no base (the file was added on both sides): everything from both', () => {
    expect(mergeEntries([], base, base)).toHaveLength(4);
  });
});

describe('mergeTasks', () => {
  const base = makeTask();

  it('a field changed on one side takes that side; updated is the later of the two', () => {
    const ours = makeTask({ priority: 3, updated: stamp(5) });
    const theirs = makeTask({ title: 'Implement login', updated: stamp(6) });
    const r = mergeTasks(base, ours, theirs, noExtras, noTextMerge);
    expect(r.task).toMatchObject({ priority: 3, title: 'Implement login', updated: stamp(6) });
    expect(r.conflicts).toEqual([]);
    expect(r.task.history).toEqual(base.history);
  });

  it('both changed a field differently: the later updated wins and History records the other value', () => {
    const ours = makeTask({ status: 'done', updated: stamp(9) });
    const theirs = makeTask({ status: 'in_progress', author: 'bob', updated: stamp(5) });
    const r = mergeTasks(base, ours, theirs, noExtras, noTextMerge);
    expect(r.task.status).toBe('done');
    expect(r.task.author).toBe('bob'); // only theirs set it
    expect(r.conflicts).toEqual(['status']);
    expect(r.task.history.at(-1)).toEqual({
      at: stamp(9),
      author: MERGE_ACTOR,
      text: 'merge kept status done (from the later side); the other side had in_progress',
    });
    // The same merge the other way round keeps the same value.
    expect(mergeTasks(base, theirs, ours, noExtras, noTextMerge).task.status).toBe('done');
  });

  it('a History line names an empty value plainly', () => {
    const claimed = makeTask({ status: 'in_progress', author: 'alice' });
    const released = makeTask({ updated: stamp(9) });
    const stolen = makeTask({ status: 'in_progress', author: 'bob', tags: ['api'], updated: stamp(5) });
    const r = mergeTasks(claimed, released, stolen, noExtras, noTextMerge);
    expect(r.task.history.slice(1).map((h) => h.text)).toEqual([
      'merge kept no author (from the later side); the other side had bob',
    ]);
    expect(r.task).toMatchObject({ status: 'ready', tags: ['api'] }); // each changed on one side only
  });

  it('a tie in updated keeps ours', () => {
    const ours = makeTask({ priority: 1, updated: stamp(5) });
    const theirs = makeTask({ priority: 2, updated: stamp(5) });
    expect(mergeTasks(base, ours, theirs, noExtras, noTextMerge).task.priority).toBe(1);
  });

  it('a cleared field counts as a change (release on one side)', () => {
    const claimed = makeTask({ status: 'in_progress', author: 'alice', lease_until: stamp(120) });
    const released = makeTask({ status: 'ready', updated: stamp(10) });
    const checkpointed = { ...claimed, updated: stamp(5), checkpoints: [entry(5, 'progress')] };
    const r = mergeTasks(claimed, released, checkpointed, noExtras, noTextMerge);
    expect(r.task.author).toBeUndefined();
    expect(r.task.lease_until).toBeUndefined();
    expect(r.task.status).toBe('ready');
    expect(r.task.checkpoints).toEqual([entry(5, 'progress')]);
  });

  it('unknown keys merge three-way too, a key named __proto__ included', () => {
    const extras = {
      base: { estimate: '3h', links: ['a'] },
      ours: { estimate: '5h', links: ['a'], ['__proto__']: 'kept' },
      theirs: { estimate: '3h', reviewer: 'carol' },
    };
    const r = mergeTasks(base, makeTask(), makeTask(), extras, noTextMerge);
    expect(r.extra).toEqual(
      Object.fromEntries([
        ['estimate', '5h'],
        ['__proto__', 'kept'],
        ['reviewer', 'carol'],
      ]),
    );
    expect(Object.hasOwn(r.extra, '__proto__')).toBe(true);
    const doc = parse(renderTaskFile(r.task, undefined, r.extra));
    expect(doc.extra).toEqual(r.extra);
  });

  it('a clashing unknown key with a newline or control characters is recorded on one History line', () => {
    const extras = { base: { note: 'a' }, ours: { note: 'b\nc' }, theirs: { note: 'd\u0007\ud800' } };
    const r = mergeTasks(base, makeTask({ updated: stamp(1) }), makeTask(), extras, noTextMerge);
    expect(r.extra).toEqual({ note: 'b\nc' });
    expect(r.task.history.at(-1)!.text).toBe(
      'merge kept note b\\u000ac (from the later side); the other side had d\\u0007\\ud800',
    );
    expect(parse(renderTaskFile(r.task, undefined, r.extra)).task.history).toEqual(r.task.history);
  });

  it('the description: one side changed takes it; both changed merges lines; a clash is flagged', () => {
    const three = 'Line one\nLine two\nLine three';
    const b = makeTask({ description: three });
    const first = makeTask({ description: three.replace('one', 'ONE') });
    const last = makeTask({ description: three.replace('three', 'THREE') });
    expect(mergeTasks(b, first, b, noExtras, noTextMerge).task.description).toBe(first.description);
    const both = mergeTasks(b, first, last, noExtras, mergeTexts);
    expect(both).toMatchObject({ descriptionClash: false, task: { description: 'Line ONE\nLine two\nLine THREE' } });
    const clash = mergeTasks(b, first, makeTask({ description: three.replace('one', 'uno') }), noExtras, mergeTexts);
    expect(clash.descriptionClash).toBe(true);
    expect(clash.task.description).toBe(
      '<<<<<<< ours\nLine ONE\n=======\nLine uno\n>>>>>>> theirs\nLine two\nLine three',
    );
  });

  it('no base: fields that differ are settled by updated, entries are the union', () => {
    const ours = makeTask({ priority: 1, updated: stamp(1), checkpoints: [entry(1, 'a')] });
    const theirs = makeTask({ priority: 2, updated: stamp(2), checkpoints: [entry(2, 'b')] });
    const r = mergeTasks(undefined, ours, theirs, { base: undefined, ours: {}, theirs: {} }, noTextMerge);
    expect(r.task.priority).toBe(2);
    expect(r.task.checkpoints.map((e) => e.text)).toEqual(['a', 'b']);
    expect(r.task.history.filter((e) => e.author === 'alice')).toHaveLength(2); // created, on each side
  });
});

// ---------------------------------------------------------------------------------------------
// Real merges

describe('git merge with the hzl driver', () => {
  it('checkpoints on two branches, priority on one, title on the other: merges clean, none lost or doubled', () => {
    const repo = tempRepo();
    useDriver(repo);
    run(repo, ['task', 'add', 'Implement user authentication', '-d', 'Email and password.'], 0);
    commitAll(repo, 'task 1');
    const other = branchWorktree(repo, 'feature');

    run(repo, ['task', 'checkpoint', '1', 'Designed schema'], 1);
    run(other, ['task', 'checkpoint', '1', 'Wrote the login form'], 2);
    run(repo, ['task', 'checkpoint', '1', 'Implemented User model'], 3);
    run(other, ['task', 'checkpoint', '1', 'Added the session cookie'], 4);
    run(repo, ['task', 'update', '1', '--priority', '3'], 5);
    run(other, ['task', 'update', '1', '--title', 'Implement user login'], 6);
    commitAll(repo, 'main work');
    commitAll(other, 'feature work');

    const m = merge(repo, 'feature');
    expect(m.status, m.output).toBe(0);
    expect(m.unmerged).toBe('');
    expect(m.output).not.toMatch(/CONFLICT/);
    const text = readTask(repo, 1);
    const { task } = parse(text);
    const written = ['Designed schema', 'Wrote the login form', 'Implemented User model', 'Added the session cookie'];
    expect(task.checkpoints.map((c) => c.text)).toEqual(written);
    for (const line of written) expect(text.split(line)).toHaveLength(2);
    expect(task).toMatchObject({
      priority: 3,
      title: 'Implement user login',
      description: 'Email and password.',
      updated: stamp(6),
    });
    expectTimeOrder(task.checkpoints);
    expectTimeOrder(task.history);
    expect(task.history.some((h) => h.author === MERGE_ACTOR)).toBe(false);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    // hzl reads the merged file like any other.
    expect(hzl(repo, ['task', 'show', '1']).status).toBe(0);
  });

  it('two branches that claimed one task for two authors merge clean; History keeps both claims', () => {
    const repo = tempRepo();
    useDriver(repo);
    run(repo, ['task', 'add', 'Add rate limiting'], 0);
    commitAll(repo, 'task 1');
    const other = branchWorktree(repo, 'feature');
    run(repo, ['task', 'claim', '1', '--author', 'alice'], 1);
    run(other, ['task', 'claim', '1', '--author', 'bob'], 2);
    run(repo, ['task', 'checkpoint', '1', 'Token bucket in Redis'], 3, 'alice');
    run(other, ['task', 'checkpoint', '1', 'Sliding window in memory'], 4, 'bob');
    commitAll(repo, 'alice claims');
    commitAll(other, 'bob claims');

    const m = merge(repo, 'feature');
    expect(m.status, m.output).toBe(0);
    expect(m.unmerged).toBe('');
    const { task } = parse(readTask(repo, 1));
    expect(task).toMatchObject({ status: 'in_progress', author: 'bob', updated: stamp(4) });
    expect(task.checkpoints.map((c) => `${c.author}: ${c.text}`)).toEqual([
      'alice: Token bucket in Redis',
      'bob: Sliding window in memory',
    ]);
    const claims = task.history.filter((h) => h.text.startsWith('claimed')).map((h) => h.author);
    expect(claims).toEqual(['alice', 'bob']);
    expect(task.history.filter((h) => h.author === MERGE_ACTOR).map((h) => h.text)).toEqual([
      'merge kept author bob (from the later side); the other side had alice',
      `merge kept lease_until ${stamp(124)} (from the later side); the other side had ${stamp(123)}`,
    ]);
    expectTimeOrder(task.history);
  });

  it('a clash in the description: git reports a conflict, markers in the description, nothing else lost', () => {
    const repo = tempRepo();
    useDriver(repo);
    run(repo, ['task', 'add', 'Write docs', '-d', 'Line one\nLine two\nLine three'], 0);
    commitAll(repo, 'task 1');
    const other = branchWorktree(repo, 'feature');
    run(repo, ['task', 'update', '1', '-d', 'Line one\nLine two, as main says\nLine three'], 1);
    run(other, ['task', 'update', '1', '-d', 'Line one\nLine two, as feature says\nLine three'], 2);
    run(repo, ['task', 'checkpoint', '1', 'main checkpoint'], 3);
    run(other, ['task', 'checkpoint', '1', 'feature checkpoint'], 4);
    run(other, ['task', 'update', '1', '--priority', '2'], 5);
    commitAll(repo, 'main');
    commitAll(other, 'feature');

    const m = merge(repo, 'feature');
    expect(m.status).not.toBe(0);
    expect(m.output).toMatch(/CONFLICT \(content\): Merge conflict in \.hzl\/tasks\/1-write-docs\.md/);
    expect(m.output).toMatch(/description/);
    expect(m.unmerged).toMatch(/1-write-docs\.md/);
    const { task } = parse(readTask(repo, 1));
    expect(task.description).toBe(
      'Line one\n<<<<<<< ours\nLine two, as main says\n=======\nLine two, as feature says\n>>>>>>> theirs\nLine three',
    );
    expect(task.checkpoints.map((c) => c.text)).toEqual(['main checkpoint', 'feature checkpoint']);
    expect(task.priority).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// The driver on its own

describe('hzl merge-driver', () => {
  const SIDE = `---
id: 1
title: Task
status: ready
created: ${BASE_TIME}
updated: ${BASE_TIME}
---

## History

- [${BASE_TIME}] alice: created (ready)

## Checkpoints
`;

  function files(base: string, ours: string, theirs: string) {
    const dir = tempDir();
    writeFileSync(join(dir, 'base'), base);
    writeFileSync(join(dir, 'ours'), ours);
    writeFileSync(join(dir, 'theirs'), theirs);
    const r = hzl(dir, ['merge-driver', 'base', 'ours', 'theirs', '.hzl/tasks/1-task.md']);
    return { ...r, result: readFileSync(join(dir, 'ours'), 'utf8') };
  }

  it('prints nothing on stdout and needs no .hzl/ around it', () => {
    const ours = SIDE.concat(`- [${stamp(1)}] alice: mine\n`);
    const r = files(SIDE, ours, SIDE.replace('status: ready', 'status: backlog'));
    expect(r).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(parse(r.result).task).toMatchObject({ status: 'backlog', checkpoints: [{ text: 'mine' }] });
  });

  it("a merge that only appends to one side keeps that side's hand-written layout and comments", () => {
    const ours = SIDE.replace('status: ready', 'status: ready   # triaged\nestimate: 3h').concat(
      `- [${stamp(1)}] alice: mine\n`,
    );
    const theirs = SIDE.concat(`- [${stamp(2)}] bob: yours\n`).replace('id: 1', 'id: 1\n# a comment');
    const r = files(SIDE, ours, theirs);
    expect(r.status).toBe(0);
    expect(r.result).toBe(ours.replace('alice: mine', `alice: mine\n- [${stamp(2)}] bob: yours`));
    // Theirs' line comes first: ours cannot just be appended to, so the file is written afresh.
    const early = SIDE.concat(`- [${stamp(0)}] bob: early\n`);
    const fresh = files(SIDE, ours, early);
    expect(fresh.status).toBe(0);
    expect(fresh.result).not.toContain('# triaged');
    expect(parse(fresh.result)).toMatchObject({
      extra: { estimate: '3h' },
      task: { checkpoints: [{ text: 'early' }, { text: 'mine' }] },
    });
  });

  it('a side that does not parse: git merge-file on the whole file, clean or with markers', () => {
    const broken = SIDE.replace('status: ready', 'status: [ready');
    const ours = SIDE.concat(`- [${stamp(1)}] alice: mine\n`);
    const clean = files(SIDE, ours, broken);
    expect(clean.status).toBe(0);
    expect(clean.result).toContain('status: [ready');
    expect(clean.result).toContain('alice: mine');
    const clash = files(SIDE, SIDE.replace('status: ready', 'status: done'), broken);
    expect(clash.status).toBe(1);
    expect(clash.stdout).toBe('');
    expect(clash.stderr).toMatch(/^hzl: \.hzl\/tasks\/1-task\.md: not a task file hzl can merge/);
    expect(clash.result).toMatch(/<<<<<<< ours\nstatus: done\n=======\nstatus: \[ready\n>>>>>>> theirs/);
  });

  it('both sides added the same file name for two different tasks: a line merge shows both', () => {
    const theirs = SIDE.replace('title: Task', 'title: Other task').replaceAll(BASE_TIME, stamp(30));
    const r = files('', SIDE, theirs);
    expect(r.status).toBe(1);
    expect(r.result).toContain('title: Task');
    expect(r.result).toContain('title: Other task');
  });

  it('both sides added the same task (same id and created): merged like any other', () => {
    const ours = SIDE.concat(`- [${stamp(1)}] alice: mine\n`);
    const theirs = SIDE.concat(`- [${stamp(2)}] bob: yours\n`);
    const r = files('', ours, theirs);
    expect(r.status).toBe(0);
    expect(parse(r.result).task.checkpoints.map((c) => c.text)).toEqual(['mine', 'yours']);
  });
});

// ---------------------------------------------------------------------------------------------
// Random walks: many generated edit sequences on two branches

/** mulberry32: small, seeded, good enough to pick edits. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!,
  };
}

type Rng = ReturnType<typeof rng>;
const AUTHORS = ['alice', 'bob'] as const;

function randomEdit(r: Rng, id: number, n: number): { args: string[]; input?: string } {
  const text = () =>
    r.pick([`step ${n}`, `Ran the tests (${n})`, `line one ${n}\nline two`, `* a list item ${n}`, '## History']);
  switch (r.int(9)) {
    case 0:
    case 1:
    case 2:
      return { args: ['task', 'checkpoint', String(id), text()] };
    case 3:
      return { args: ['task', 'checkpoint', String(id), '-'], input: `- from stdin ${n}\n  indented\n---\n` };
    case 4:
      return r.next() < 0.5
        ? { args: ['task', 'update', String(id), '--priority', String(r.int(4))] }
        : { args: ['task', 'update', String(id), '--title', `Title ${n}`] };
    case 5:
      return { args: ['task', 'claim', String(id), '--author', r.pick(AUTHORS)] };
    case 6:
      return { args: ['task', 'release', String(id)] };
    case 7:
      return r.next() < 0.5
        ? { args: ['task', 'complete', String(id), '-m', `done ${n}`] }
        : { args: ['task', 'reopen', String(id)] };
    default:
      return { args: ['task', 'block', String(id), '--reason', `waiting ${n}`] };
  }
}

describe('random edit sequences on two branches', () => {
  // npm test runs 12 seeds; npm run stress (HZL_STRESS=full) runs 30, each a dozen real hzl calls and a merge.
  const SEEDS = Number(process.env.HZL_MERGE_SEEDS ?? (process.env.HZL_STRESS === 'full' ? 30 : 12));

  it(`${SEEDS} seeds: every merge is clean, no line lost or doubled, sections in time order, symmetric`, async () => {
    const repo = tempRepo();
    useDriver(repo);
    const other = branchWorktree(repo, 'side-0');
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = rng(seed);
      const at = seed * 1000; // minutes: every seed in its own stretch of time
      const id = Number(run(repo, ['task', 'add', `Task of seed ${seed}`, '-q'], at).stdout.trim());
      const before = r.int(3);
      for (let i = 0; i < before; i++)
        run(repo, ['task', 'checkpoint', String(id), `before the branches ${i}`], at + 1 + i);
      if (r.next() < 0.5) run(repo, ['task', 'claim', String(id), '--author', 'alice'], at + 5);
      commitAll(repo, `seed ${seed}: base`);
      git(other, 'checkout', '-q', '-B', `side-${seed}`, 'main');

      // Interleaved times; each branch runs its own edits in order, both branches at once.
      const edits: Array<Array<{ args: string[]; input?: string; minutes: number; author: string }>> = [[], []];
      const count = 4 + r.int(7);
      for (let n = 0; n < count; n++)
        edits[r.int(2)]!.push({ ...randomEdit(r, id, n), minutes: at + 10 + n, author: r.pick(AUTHORS) });
      await Promise.all(
        [repo, other].map(async (dir, side) => {
          for (const e of edits[side]!) {
            const env = { HZL_NOW: stamp(e.minutes), HZL_AUTHOR: e.author };
            const res = await hzlAsync(dir, e.args, { env, ...(e.input !== undefined ? { input: e.input } : {}) });
            // 4: a transition this random walk made invalid (claimed by the other author, …).
            expect([0, 4], `seed ${seed}: hzl ${e.args.join(' ')}: ${res.stderr}`).toContain(res.status);
          }
        }),
      );
      commitAll(repo, `seed ${seed}: main`);
      commitAll(other, `seed ${seed}: side`);

      const revs = {
        base: git(repo, 'merge-base', 'HEAD', `side-${seed}`).trim(),
        ours: git(repo, 'rev-parse', 'HEAD').trim(),
        theirs: git(repo, 'rev-parse', `side-${seed}`).trim(),
      };
      const m = merge(repo, `side-${seed}`);
      const why = `seed ${seed}: ${m.output}`;
      expect(m.status, why).toBe(0);
      expect(m.unmerged, why).toBe('');

      const path = relative(repo, taskFile(repo, id));
      const at_ = (rev: string) => parse(git(repo, 'show', `${rev}:${path}`));
      const [base, ours, theirs] = [at_(revs.base), at_(revs.ours), at_(revs.theirs)];
      const merged = parse(readFileSync(join(repo, path), 'utf8'));
      const t = merged.task;
      expect(sorted(t.checkpoints), why).toEqual(
        multisetMerge(base.task.checkpoints, ours.task.checkpoints, theirs.task.checkpoints),
      );
      const history = t.history.filter((h) => h.author !== MERGE_ACTOR);
      expect(sorted(history), why).toEqual(multisetMerge(base.task.history, ours.task.history, theirs.task.history));
      expectTimeOrder(t.checkpoints);
      expectTimeOrder(t.history);

      // Fields: one side's change survives; both changed: the later side, with a History line.
      const later = theirs.task.updated > ours.task.updated ? theirs.task : ours.task;
      const notes = t.history.filter((h) => h.author === MERGE_ACTOR).map((h) => h.text);
      for (const key of ['title', 'status', 'priority', 'author', 'lease_until', 'tags'] as const) {
        const [b, o, th] = [base.task[key], ours.task[key], theirs.task[key]].map((v) => JSON.stringify(v));
        const expected = o === th || b === th ? ours.task[key] : b === o ? theirs.task[key] : later[key];
        expect(t[key], `${why} (${key})`).toEqual(expected);
        expect(
          notes.some((n) => n.startsWith(`merge kept ${key} `) || n.startsWith(`merge kept no ${key} `)),
          `${why} (${key} note)`,
        ).toBe(o !== th && b !== o && b !== th);
      }
      expect(t.updated).toBe([ours.task.updated, theirs.task.updated].sort().at(-1));

      // The other way round gives the same file (times differ, so no tie decides anything).
      const swapped = mergeTasks(base.task, theirs.task, ours.task, { base: {}, ours: {}, theirs: {} }, noTextMerge);
      if (ours.source.text !== theirs.source.text) expect(renderTaskFile(swapped.task), why).toBe(merged.source.text);
    }
  });
});
