// The folder index: single-task commands find a task's file and its subtasks without listing the
// tasks folder while the index holds, and give the answers a listing would whenever it does not
// (a file added, copied, renamed or checked out by something else; an index deleted, cut,
// corrupt, of another version, or another worktree's). hzl's own writes carry it forward.

import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChildRow, FolderIndex } from '../src/store/folder-index.js';
import {
  carriedForward,
  indexedChildren,
  indexedNames,
  loadFolderIndex,
  renderFolderIndex,
  saveFolderIndex,
} from '../src/store/folder-index.js';
import { CONFIG_TEMPLATE } from '../src/format/config.js';
import { readSimpleConfig } from '../src/format/simple-config.js';
import { loadYaml } from '../src/format/yaml.js';
import { HZL, baseEnv, family, git, hzl, hzlAsync, hzlInProcess, taskFile, tempDir, tempRepo } from './helpers.js';

const env = { env: { HZL_AUTHOR: 'alice' } };
const ok = (dir: string, args: string[]) => {
  const r = hzl(dir, args, env);
  expect(r.stderr).not.toMatch(/^hzl:/m);
  expect(r.status).toBe(0);
  return r.stdout;
};
const subtasks = (dir: string, id: number): string[] =>
  JSON.parse(ok(dir, ['task', 'show', String(id), '--json'])).task.subtasks.map(
    (s: { id: number; status: string }) => `${s.id}:${s.status}`,
  );

const tasksDir = (repo: string) => join(repo, '.hzl', 'tasks');
/** The main worktree's; a linked one's is under .git/worktrees/<name>/hzl. */
const indexOf = (repo: string) => join(repo, '.git', 'hzl', 'folder.index');
const holds = (index: string, repo: string) =>
  existsSync(index) && loadFolderIndex(join(index, '..'))?.folderMtimeMs === statSync(tasksDir(repo)).mtimeMs;

/** Lists until a listing saved the index for the folder as it is (the folder must have been quiet). */
function warm(repo: string, index = indexOf(repo)) {
  for (let tries = 0; tries < 100 && !holds(index, repo); tries++) ok(repo, ['task', 'list']);
  expect(holds(index, repo)).toBe(true);
}

const hasStrace = spawnSync('strace', ['-V']).status === 0;

/** Runs hzl under strace and counts the reads of the tasks folder's entries (getdents64). */
function listingsDuring(repo: string, args: string[]): number {
  const log = join(tempDir(), 'strace.log');
  const r = spawnSync('strace', ['-f', '-y', '-e', 'trace=getdents64', '-o', log, process.execPath, HZL, ...args], {
    cwd: repo,
    env: baseEnv(env.env),
    encoding: 'utf8',
  });
  expect(r.stderr).not.toMatch(/^hzl:/m);
  expect(r.status).toBe(0);
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.includes(`${tasksDir(repo)}>`)).length;
}

describe('single-task commands while the index holds', () => {
  it.skipIf(!hasStrace)('show, checkpoint, claim, complete and add --parent list nothing, and keep it holding', () => {
    const repo = family(ok);
    warm(repo);
    expect(listingsDuring(repo, ['task', 'show', '1'])).toBe(0);
    expect(listingsDuring(repo, ['task', 'checkpoint', '2', 'Halfway'])).toBe(0);
    expect(holds(indexOf(repo), repo)).toBe(true);
    expect(listingsDuring(repo, ['task', 'claim', '2'])).toBe(0);
    expect(listingsDuring(repo, ['task', 'show', '1'])).toBe(0);
    expect(subtasks(repo, 1)).toEqual(['2:in_progress']);
    expect(listingsDuring(repo, ['task', 'complete', '2'])).toBe(0);
    expect(holds(indexOf(repo), repo)).toBe(true);
    // An add reads the folder for the next id (under the id lock); the index then holds its file.
    ok(repo, ['task', 'add', 'Second child', '--parent', '1']);
    expect(holds(indexOf(repo), repo)).toBe(true);
    expect(listingsDuring(repo, ['task', 'show', '1'])).toBe(0);
    expect(subtasks(repo, 1)).toEqual(['2:done', '4:ready']);
    const refused = hzl(repo, ['task', 'complete', '1'], env); // #4 is open
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/#4/);
  });
});

/** Linux 6.13 or later on ext4, xfs, btrfs or tmpfs: multigrain timestamps (src/store/task-folder.ts). */
const multigrain = (() => {
  const [major = 0, minor = 0] = process.getBuiltinModule('node:os').release().split('.').map(Number);
  const kernel = process.platform === 'linux' && (major > 6 || (major === 6 && minor >= 13));
  return kernel && [0xef53, 0x58465342, 0x9123683e, 0x01021994].includes(statfsSync(tempDir()).type);
})();

describe('deletes', () => {
  it.skipIf(!hasStrace)('keep the index holding: the next show lists nothing, and the task is gone', () => {
    const repo = family(ok);
    warm(repo);
    ok(repo, ['task', 'delete', '2']);
    expect(holds(indexOf(repo), repo)).toBe(true);
    expect(listingsDuring(repo, ['task', 'show', '1'])).toBe(0);
    expect(subtasks(repo, 1)).toEqual([]);
    const gone = hzl(repo, ['task', 'show', '2'], env);
    expect([gone.status, gone.stderr]).toEqual([3, expect.stringMatching(/^hzl: task #2 (not found|was deleted)/)]);
    expect(indexedNames(loadFolderIndex(join(indexOf(repo), '..'))!, 2)).toEqual([]);
  });
});

describe('listings save the index', () => {
  it.skipIf(!multigrain)('at once after a change, where file times are multigrain', () => {
    const repo = family(ok);
    const child = readFileSync(taskFile(repo, 2), 'utf8').replace('id: 2', 'id: 4');
    writeFileSync(join(tasksDir(repo), '4-by-hand.md'), child);
    // In-process: the listing starts within a few milliseconds of the change.
    const r = hzlInProcess(repo, ['task', 'list'], env);
    expect(r.status).toBe(0);
    expect(holds(indexOf(repo), repo)).toBe(true);
    expect(subtasks(repo, 1)).toEqual(['2:ready', '4:ready']);
  });
});

describe('what the index cannot have seen', () => {
  it('a duplicate file for an id copied in by hand is refused by checkpoint', () => {
    const repo = family(ok);
    warm(repo);
    const original = taskFile(repo, 2);
    copyFileSync(original, join(tasksDir(repo), '2-copy.md'));
    const before = readFileSync(original, 'utf8');
    const r = hzl(repo, ['task', 'checkpoint', '2', 'Which file?'], env);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/^hzl: task #2 has more than one file .*hzl doctor/);
    expect(readFileSync(original, 'utf8')).toBe(before);
  });

  it('a child added by hand or by a git checkout is shown by its parent', () => {
    const repo = family(ok);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'family');
    git(repo, 'checkout', '-q', '-b', 'more');
    writeFileSync(
      join(tasksDir(repo), '7-from-git.md'),
      readFileSync(taskFile(repo, 2), 'utf8').replace('id: 2', 'id: 7').replace('title: Child', 'title: From git'),
    );
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'a child');
    git(repo, 'checkout', '-q', 'main');
    warm(repo);
    expect(subtasks(repo, 1)).toEqual(['2:ready']);
    git(repo, 'checkout', '-q', 'more');
    expect(subtasks(repo, 1)).toEqual(['2:ready', '7:ready']);
    warm(repo);
    const byHand = readFileSync(taskFile(repo, 3), 'utf8')
      .replace('id: 3', 'id: 8')
      .replace('Loner', 'Loner\nparent: 1');
    writeFileSync(join(tasksDir(repo), '8-by-hand.md'), byHand);
    // A write meanwhile must not carry forward an index that no longer held.
    ok(repo, ['task', 'checkpoint', '2', 'Meanwhile']);
    expect(subtasks(repo, 1)).toEqual(['2:ready', '7:ready', '8:ready']);
    ok(repo, ['task', 'checkpoint', '8', 'Found']);
  });

  it('a task file renamed by git mv is found, and written where it is now', () => {
    const repo = family(ok);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'family');
    warm(repo);
    git(repo, 'mv', '.hzl/tasks/2-child.md', '.hzl/tasks/2-renamed.md');
    ok(repo, ['task', 'checkpoint', '2', 'Moved']);
    expect(readFileSync(join(tasksDir(repo), '2-renamed.md'), 'utf8')).toMatch(/Moved/);
    expect(subtasks(repo, 1)).toEqual(['2:ready']);
  });
});

describe('the index is a cache', () => {
  /** An index that lies (no child of #1, #2 in a file that is not there), stamped for the folder as it is. */
  const lying = (repo: string, { version = 2, generation = 'a'.repeat(12), body = LIE } = {}) => {
    const stamp = `hzl folder stamp ${version} ${'a'.repeat(12)} ${statSync(tasksDir(repo)).mtimeMs}\n`;
    writeFileSync(join(indexOf(repo), '..', 'folder.stamp'), stamp);
    writeFileSync(indexOf(repo), `hzl folder index ${version} ${generation}\n${body}`);
  };
  const LIE = 'n\t1-parent.md\nn\t2-gone.md\nn\t3-loner.md\nend\n';
  const answers = (repo: string) => {
    expect(subtasks(repo, 1)).toEqual(['2:ready']);
    expect(JSON.parse(ok(repo, ['task', 'show', '2', '--json'])).task.title).toBe('Child');
  };

  it('deleted, corrupt, cut or of another version: the same answers', () => {
    const repo = family(ok);
    warm(repo);
    const index = indexOf(repo);
    const variants: Array<[string, () => void]> = [
      ['deleted', () => rmSync(index)],
      ['stamp deleted', () => rmSync(join(index, '..', 'folder.stamp'))],
      ['corrupt', () => writeFileSync(index, '\u0000\u00ff{ not an index')],
      ['cut', () => lying(repo, { body: LIE.replace(/end\n$/, '') })],
      ['another version', () => lying(repo, { version: 3 })],
      ['another generation than the stamp', () => lying(repo, { generation: 'b'.repeat(12) })],
      [
        'a row that does not decode',
        () => lying(repo, { body: LIE.replace('end\n', 'c\t1\t2-child.md\t[1,2\nend\n') }),
      ],
    ];
    for (const [, spoil] of variants) {
      warm(repo);
      spoil();
      answers(repo);
    }
    // A file the index names that is gone: the folder is listed instead.
    lying(repo);
    expect(JSON.parse(ok(repo, ['task', 'show', '2', '--json'])).task.title).toBe('Child');
  });

  it('two worktrees each keep their own index, and a write in one leaves the other holding', () => {
    const main = family(ok);
    git(main, 'add', '-A');
    git(main, 'commit', '-q', '-m', 'family');
    const other = join(tempDir(), 'other');
    git(main, 'worktree', 'add', '-q', '-b', 'other', other);
    const otherIndex = join(main, '.git', 'worktrees', 'other', 'hzl', 'folder.index');
    warm(main);
    warm(other, otherIndex);
    const before = readFileSync(otherIndex, 'utf8');
    ok(main, ['task', 'checkpoint', '2', 'In main']);
    ok(main, ['task', 'add', 'Main only', '--parent', '1']);
    expect(holds(indexOf(main), main)).toBe(true);
    expect(readFileSync(otherIndex, 'utf8')).toBe(before);
    expect(subtasks(other, 1)).toEqual(['2:ready']);
    expect(subtasks(main, 1)).toEqual(['2:ready', '4:ready']);
    ok(other, ['task', 'checkpoint', '2', 'In other']);
    expect(holds(otherIndex, other)).toBe(true);
    expect(holds(indexOf(main), main)).toBe(true);
  });

  it('parallel writers leave an index that agrees with a fresh listing', async () => {
    const repo = tempRepo();
    ok(repo, ['task', 'add', 'Parent']);
    for (let i = 2; i <= 9; i++) ok(repo, ['task', 'add', `Task ${i}`, ...(i % 2 ? ['--parent', '1'] : [])]);
    warm(repo);
    const runs = await Promise.all([
      ...[2, 3, 4, 5, 6, 7, 8, 9].map((id) => hzlAsync(repo, ['task', 'checkpoint', String(id), 'At once'], env)),
      hzlAsync(repo, ['task', 'add', 'Late child', '--parent', '1'], env),
    ]);
    for (const r of runs) expect([r.status, r.stderr]).toEqual([0, expect.not.stringMatching(/^hzl:/m)]);
    expect(holds(indexOf(repo), repo)).toBe(true);
    const index = loadFolderIndex(join(repo, '.git', 'hzl'))!;
    const names = readdirSync(tasksDir(repo))
      .filter((name) => name.endsWith('.md'))
      .sort();
    const indexed = [...Array(10).keys()].flatMap((i) => indexedNames(index, i + 1)).sort();
    expect(indexed).toEqual(names);
    const children = indexedChildren(index, 1)!
      .map((c) => c.id)
      .sort((a, b) => a - b);
    expect(children).toEqual([3, 5, 7, 9, 10]);
    expect(subtasks(repo, 1)).toEqual(['3:ready', '5:ready', '7:ready', '9:ready', '10:ready']);
  });
});

describe('the carry-forward rule', () => {
  const stamp = { size: 10, mtimeMs: 1_700_000_000_000.5, ctimeMs: 1_700_000_000_000.5, ino: 7 };
  const row = (name: string, id: number, parent: number, title = 'Child'): ChildRow => ({
    name,
    id,
    parent,
    status: 'ready',
    title,
    stamp,
    verify: false,
  });
  const dir = tempDir();
  /** Saves `body` as the index for folder mtime `mtime` (`current`: the index it was carried from) and loads it. */
  const load = (body: string, mtime: number, current?: FolderIndex) => {
    expect(saveFolderIndex(dir, body, mtime, current)).toBeDefined();
    return loadFolderIndex(dir)!;
  };

  it('keeps every name, adds a new one once, and replaces, moves or drops the written file’s row', () => {
    const names = ['1-parent.md', '2-child.md', '3-loner.md', '12-other.md', '21.md', '5-café-ü.md'];
    const index = load(renderFolderIndex(names, [row('2-child.md', 2, 1), row('12-other.md', 12, 3)])!, 100.5);
    expect(indexedNames(index, 2)).toEqual(['2-child.md']);
    expect(indexedNames(index, 21)).toEqual(['21.md']);
    expect(indexedNames(index, 1)).toEqual(['1-parent.md']); // not 12- or 21
    expect(indexedNames(index, 4)).toEqual([]);
    expect(indexedNames(index, 5)).toEqual(['5-café-ü.md']); // searched as bytes, decoded as UTF-8

    // #2 rewritten, still under #1, with a new title: one row for it, the new one.
    const retitled = load(
      carriedForward(index, '2-child.md', row('2-child.md', 2, 1, 'Renamed'), false)!,
      200.25,
      index,
    );
    expect(retitled.folderMtimeMs).toBe(200.25);
    expect(retitled.generation).not.toBe(index.generation);
    expect(indexedChildren(retitled, 1)!.map((c) => c.title)).toEqual(['Renamed']);
    expect(indexedChildren(retitled, 3)!.map((c) => c.id)).toEqual([12]);

    // #2 moved under #3, then its parent dropped.
    const moved = load(carriedForward(retitled, '2-child.md', row('2-child.md', 2, 3), false)!, 300, retitled);
    expect(indexedChildren(moved, 1)).toEqual([]);
    expect(indexedChildren(moved, 3)!.map((c) => c.id)).toEqual([12, 2]);
    const orphaned = load(carriedForward(moved, '2-child.md', undefined, false)!, 400, moved);
    expect(indexedChildren(orphaned, 3)!.map((c) => c.id)).toEqual([12]);

    // A file that names no parent, rewritten: the same body, so only the stamp is written.
    const indexFile = () => statSync(join(dir, 'folder.index')).ino;
    const written = indexFile();
    const loner = load(carriedForward(orphaned, '3-loner.md', undefined, false)!, 450, orphaned);
    expect([loner.generation, loner.folderMtimeMs, indexFile()]).toEqual([orphaned.generation, 450, written]);

    // A new file: its name (once, however often it is carried) and its row.
    const added = load(carriedForward(loner, '4-new.md', row('4-new.md', 4, 1), true)!, 500, loner);
    const again = load(carriedForward(added, '4-new.md', row('4-new.md', 4, 1), true)!, 600, added);
    expect(indexedNames(again, 4)).toEqual(['4-new.md']);
    expect(indexedChildren(again, 1)!.map((c) => c.id)).toEqual([4]);
    for (const id of [1, 2, 3, 12, 21]) expect(indexedNames(again, id)).toEqual(indexedNames(index, id));
  });

  it('a name that cannot be one line makes no index', () => {
    expect(renderFolderIndex(['1-a.md', '2-b\nc.md'], [])).toBeUndefined();
    const index = load(renderFolderIndex(['1-a.md'], [])!, 1);
    expect(carriedForward(index, '3-x\ty.md', undefined, true)).toBeUndefined();
  });
});

describe('what single-task commands load', () => {
  /** Node's own modules a run of hzl loaded (as startup.test.ts records them). */
  function builtins(repo: string, args: string[]): string[] {
    const dir = tempDir();
    const preload = join(dir, 'preload.cjs');
    const trace = join(dir, 'trace.txt');
    writeFileSync(
      preload,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(trace)}, ` +
        `process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join('\\n')));`,
    );
    const r = spawnSync(process.execPath, ['--require', preload, HZL, ...args], {
      cwd: repo,
      env: baseEnv(env.env),
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(trace, 'utf8').split('\n');
  }

  it('show, checkpoint, claim and complete load neither node:crypto nor node:zlib (~5 ms each)', () => {
    const repo = family(ok);
    for (const args of [
      ['task', 'show', '1'],
      ['task', 'checkpoint', '2', 'x'],
      ['task', 'claim', '2'],
      ['task', 'complete', '2'],
    ]) {
      const heavy = builtins(repo, args).filter((m) => m === 'crypto' || m === 'zlib');
      expect({ args, heavy }).toEqual({ args, heavy: [] });
    }
  });
});

describe('the simple config reader', () => {
  const KEYS = ['commit', 'lease', 'author', 'remote', 'remote_cache', 'commit_hooks', '__proto__', 'x_y'];
  const VALUES = [
    'true',
    'false',
    'True',
    'FALSE',
    'yes',
    'no',
    'on',
    'off',
    'null',
    'Null',
    '~',
    '2h',
    '90s',
    '1d',
    '2w',
    '0s',
    '12',
    '1e3',
    '0x1f',
    '0o7',
    '.inf',
    '.NaN',
    '1_000',
    '2024-01-15',
    'origin',
    'up/stream',
    'a.b',
    'claude-code',
    'two words',
    "'quoted'",
    '"dq"',
    'x # note',
    'x#y',
    '[a]',
    '{a: 1}',
    '&a x',
    '*a',
    '!!str 1',
    '|',
    '>',
    '-',
    '- a',
    'é',
    'x\r',
    '',
    ' x',
  ];
  const LINES = ['', '# a comment', '  # indented', '---', '...', '\ufeff# bom', 'commit:false', 'lease:  2h'];
  const rng = (seed: number) => () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(next: () => number, from: T[]) => from[Math.floor(next() * from.length)]!;

  it('answers only where js-yaml gives the same data, and answers for the template', () => {
    expect(readSimpleConfig(CONFIG_TEMPLATE)).toEqual(loadYaml(CONFIG_TEMPLATE));
    expect(readSimpleConfig(CONFIG_TEMPLATE)).toEqual({ commit: false, lease: '2h' });
    let answered = 0;
    for (let seed = 1; seed <= 8000; seed++) {
      const next = rng(seed);
      const lines = Array.from({ length: 1 + Math.floor(next() * 5) }, () =>
        next() < 0.25 ? pick(next, LINES) : `${pick(next, KEYS)}: ${pick(next, VALUES)}`,
      );
      const text = lines.join('\n') + (next() < 0.5 ? '\n' : '');
      const fast = readSimpleConfig(text);
      if (fast === undefined) continue;
      answered++;
      let full: unknown;
      try {
        full = loadYaml(text) ?? {};
      } catch (err) {
        full = String(err);
      }
      expect({ seed, text, data: fast }).toEqual({ seed, text, data: full });
    }
    expect(answered).toBeGreaterThan(300); // the comparison ran on many inputs, not a few
  });
});
