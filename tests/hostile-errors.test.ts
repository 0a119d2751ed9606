// Attacks on the surroundings rather than the input: a file system that refuses (permissions,
// immutable folders, a full disk), a deleted working directory, endless stdin, no git binary; and
// what `hzl doctor` must see in task files that merges and hand edits leave behind. Each refusal
// is one line on stderr with a documented exit code, and nothing is written.

import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conflictMarkerLine } from '../src/core/health.js';
import { controlCharacters, linkCycles, selfLinks } from '../src/core/integrity.js';
import type { Task } from '../src/core/task.js';
import { explainFsError } from '../src/store/fs-errors.js';
import {
  baseEnv,
  HZL,
  hzl,
  readTask,
  type Run,
  runInProcess,
  snapshot,
  taskFile,
  tempDir,
  tempRepo,
} from './helpers.js';

runInProcess();

const ALICE = { HZL_AUTHOR: 'alice' };

function oneTask(): string {
  const repo = tempRepo();
  expect(hzl(repo, ['task', 'add', 'Implement user authentication'], { env: ALICE }).status).toBe(0);
  return repo;
}

/** One line on stderr, starting `hzl: `, nothing that looks like a stack trace or source. */
function expectOneLine(r: Run): string {
  expect(r.stderr).toMatch(/^hzl: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal|\.ts:\d+|\.js:\d+|unexpected error/);
  expect(r.stderr.length).toBeLessThan(400);
  return r.stderr.slice('hzl: '.length, -1);
}

const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;
const NOBODY = 65534;
/**
 * Root ignores file permissions: run the CLI as `nobody` then, so that they apply. That needs
 * setpriv, and a checkout `nobody` may read (a clone under a private temp folder is not one:
 * those tests are skipped there, with a note).
 */
const canDropRoot =
  !isRoot ||
  (hasSetpriv &&
    spawnSync('setpriv', [
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      '--clear-groups',
      process.execPath,
      HZL,
      '--version',
    ]).status === 0);
if (!canDropRoot) {
  console.warn(
    'hostile-errors: permission tests skipped: `nobody` cannot run this checkout of hzl ' +
      '(setpriv missing, or a private folder above it)',
  );
}

/** hzl as a user that permissions apply to: `nobody` (through setpriv) when we are root. */
function hzlAsUser(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const command = isRoot
    ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, HZL, ...args]
    : [process.execPath, HZL, ...args];
  const r = spawnSync(command[0]!, command.slice(1), {
    cwd,
    env: baseEnv({ ...ALICE, ...env }),
    input: '',
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A repository with task 1 that the user of hzlAsUser owns. */
function ownedRepo(): string {
  const repo = oneTask();
  if (isRoot) {
    const own = (path: string): void => {
      chownSync(path, NOBODY, NOBODY);
      if (statSync(path).isDirectory()) for (const name of readdirSync(path)) own(join(path, name));
    };
    own(repo);
  }
  expect(hzlAsUser(repo, ['task', 'checkpoint', '1', 'works as this user']).status).toBe(0);
  return repo;
}

/** Root in a container may or may not be allowed to mount: try it in a namespace of its own. */
const canMountTmpfs =
  isRoot &&
  spawnSync('unshare', [
    '-m',
    '--propagation',
    'private',
    'sh',
    '-c',
    'mount -t tmpfs -o size=64k tmpfs "$0"',
    tmpdir(),
  ]).status === 0;

/** chattr +i works only on some file systems and only for root. */
function immutable(path: string, on: boolean): boolean {
  return spawnSync('chattr', [on ? '+i' : '-i', path]).status === 0;
}

describe('a file system that refuses', () => {
  it.skipIf(!canDropRoot)('a read-only .hzl/tasks: a write exits 5 naming the folder, and writes nothing', () => {
    const repo = ownedRepo();
    chmodSync(join(repo, '.hzl/tasks'), 0o555);
    try {
      const before = snapshot(repo);
      for (const args of [
        ['task', 'checkpoint', '1', 'Designed schema'],
        ['task', 'add', 'Another'],
      ]) {
        const r = hzlAsUser(repo, args);
        expect({ args, status: r.status }).toEqual({ args, status: 5 });
        expect(expectOneLine(r)).toMatch(/^cannot .*\.hzl\/tasks.*: permission denied; /);
      }
      expect(snapshot(repo)).toEqual(before);
    } finally {
      chmodSync(join(repo, '.hzl/tasks'), 0o755);
    }
  });

  it.skipIf(!canDropRoot)('a read-only lock folder in .git: exit 5 naming it', () => {
    const repo = ownedRepo();
    const locks = join(repo, '.git/hzl/locks');
    mkdirSync(locks, { recursive: true });
    if (isRoot) chownSync(locks, NOBODY, NOBODY);
    chmodSync(locks, 0o555);
    try {
      const before = snapshot(repo);
      const r = hzlAsUser(repo, ['task', 'checkpoint', '1', 'Designed schema']);
      expect(r.status).toBe(5);
      expect(expectOneLine(r)).toMatch(/^cannot .*\.git\/hzl\/locks\/.*: permission denied; /);
      expect(snapshot(repo)).toEqual(before);
    } finally {
      chmodSync(locks, 0o755);
    }
  });

  it.skipIf(!canDropRoot)('an unreadable tasks folder: list and show exit 5 naming it', () => {
    const repo = ownedRepo();
    chmodSync(join(repo, '.hzl/tasks'), 0o000);
    try {
      for (const args of [['task', 'list'], ['task', 'show', '1'], ['doctor']]) {
        const r = hzlAsUser(repo, args);
        expect({ args, status: r.status }).toEqual({ args, status: 5 });
        expect(expectOneLine(r)).toMatch(/\.hzl\/tasks.*: permission denied; /);
      }
    } finally {
      chmodSync(join(repo, '.hzl/tasks'), 0o755);
    }
  });

  it('an immutable tasks folder (even root may not write): exit 5, one line', () => {
    const repo = oneTask();
    const tasks = join(repo, '.hzl/tasks');
    if (!immutable(tasks, true)) return; // chattr is not supported here
    try {
      const before = snapshot(repo);
      const r = hzl(repo, ['task', 'checkpoint', '1', 'Designed schema'], { env: ALICE });
      expect(r.status).toBe(5);
      expect(expectOneLine(r)).toMatch(/^cannot .*\.hzl\/tasks.*: not permitted; /);
      expect(snapshot(repo)).toEqual(before);
    } finally {
      immutable(tasks, false);
    }
  });

  it.skipIf(!canMountTmpfs)(
    'a full disk (a 2 MiB tmpfs, filled): a checkpoint exits 5 with one line, and the file is as it was',
    () => {
      // In a mount namespace of its own, so that the mount goes away with the shell.
      const dir = tempDir();
      const errFile = join(tempDir(), 'stderr');
      const script = `set -e
      mount -t tmpfs -o size=2m tmpfs "$1"; cd "$1"
      git init -q -b main; git config user.name t; git config user.email t@e; git commit -q --allow-empty -m i
      "$2" "$3" init >/dev/null 2>&1; HZL_AUTHOR=a "$2" "$3" task add one >/dev/null 2>&1
      before=$(sha1sum < .hzl/tasks/1-one.md)
      dd if=/dev/zero of=fill bs=4k 2>/dev/null || true
      set +e
      HZL_AUTHOR=a "$2" "$3" task checkpoint 1 "$(head -c 3000 /dev/zero | tr '\\0' x)" 2>"$4"; echo "status=$?"
      [ "$before" = "$(sha1sum < .hzl/tasks/1-one.md)" ] && echo unchanged
      ls -A .hzl/tasks`;
      const r = spawnSync(
        'unshare',
        ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', dir, process.execPath, HZL, errFile],
        { env: baseEnv(), encoding: 'utf8' },
      );
      expect(r.stdout).toBe('status=5\nunchanged\n.gitkeep\n1-one.md\n'); // no temp file left behind
      const stderr = readFileSync(errFile, 'utf8');
      expect(expectOneLine({ status: 5, stdout: '', stderr })).toMatch(
        /^cannot write.*: no space left on device; free some space/,
      );
    },
  );

  it('.hzl/config.yml that is a folder: exit 5 naming it', () => {
    const repo = oneTask();
    renameSync(join(repo, '.hzl/config.yml'), join(repo, 'config.yml.aside'));
    mkdirSync(join(repo, '.hzl/config.yml'));
    for (const args of [
      ['task', 'list'],
      ['task', 'checkpoint', '1', 'x'],
    ]) {
      const r = hzl(repo, args, { env: ALICE });
      expect({ args, status: r.status }).toEqual({ args, status: 5 });
      expect(expectOneLine(r)).toMatch(/\.hzl\/config\.yml is a folder/);
    }
  });

  it('`show 1 > /dev/full`: exit 5 with one line, not a page of minified source', () => {
    if (!existsSync('/dev/full')) return;
    const repo = oneTask();
    const full = openSync('/dev/full', 'w');
    try {
      const run = (args: string[]) =>
        spawnSync(process.execPath, [HZL, ...args], {
          cwd: repo,
          env: baseEnv(ALICE),
          stdio: ['pipe', full, 'pipe'],
          encoding: 'utf8',
        });
      for (const args of [
        ['task', 'show', '1'],
        ['task', 'list'],
      ]) {
        const r = run(args);
        expect({ args, status: r.status }).toEqual({ args, status: 5 });
        expect(expectOneLine({ status: r.status, stdout: '', stderr: r.stderr })).toMatch(
          /^cannot write the output: no space left on device; /,
        );
      }
      // With --json, the error is a JSON document alone, as every error is.
      const r = run(['task', 'show', '1', '--json']);
      expect(r.status).toBe(5);
      expect(JSON.parse(r.stderr).error).toMatchObject({
        code: 'invalid_data',
        exitCode: 5,
        message: expect.stringMatching(/^cannot write the output: no space left/),
      });
    } finally {
      closeSync(full);
    }
  });

  it('stderr on a full disk: the outcome keeps its exit code (3 for a missing task, 0 for a write)', () => {
    if (!existsSync('/dev/full')) return;
    const repo = oneTask();
    const full = openSync('/dev/full', 'w');
    try {
      const run = (args: string[]) =>
        spawnSync(process.execPath, [HZL, ...args], { cwd: repo, env: baseEnv(ALICE), stdio: ['pipe', 'pipe', full] })
          .status;
      expect(run(['task', 'show', '99'])).toBe(3);
      expect(run(['task', 'checkpoint', '1', 'Designed schema'])).toBe(0);
      expect(readTask(repo, 1)).toContain('alice: Designed schema');
    } finally {
      closeSync(full);
    }
  });

  it('a working directory deleted under the shell: exit 5, one line', () => {
    const gone = join(tempDir(), 'gone');
    mkdirSync(gone);
    const r = spawnSync(
      'bash',
      ['-c', 'cd "$1" && rmdir "$1" && exec "$0" "$2" task list', process.execPath, gone, HZL],
      {
        env: baseEnv(),
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(5);
    expect(expectOneLine({ status: r.status, stdout: r.stdout, stderr: r.stderr })).toMatch(
      /^the current directory no longer exists; /,
    );
  });
});

describe('stdin', () => {
  it('`yes | hzl task checkpoint 1 -`: stops reading after 1 MiB and exits 2, writing nothing', async () => {
    const repo = oneTask();
    const before = snapshot(repo);
    const child = spawn(process.execPath, [HZL, 'task', 'checkpoint', '1', '-'], { cwd: repo, env: baseEnv(ALICE) });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.on('error', () => undefined); // hzl closes its end: EPIPE
    const chunk = Buffer.from('y\n'.repeat(32 * 1024));
    let sent = 0;
    const feed = (): void => {
      // A reader without bound would take all of it: give up (and fail) after 64 MiB.
      while (child.stdin.writable && sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!child.stdin.write(chunk)) return void child.stdin.once('drain', feed);
      }
      if (child.stdin.writable) child.kill();
    };
    feed();
    const status = await new Promise<number | null>((done) => child.on('close', done));
    expect(status).toBe(2);
    expect(expectOneLine({ status, stdout: '', stderr })).toMatch(/^the text on stdin is longer than 1 MiB; /);
    expect(snapshot(repo)).toEqual(before);
  });
});

describe('without a git binary', () => {
  const NO_GIT = { ...ALICE, PATH: '/nonexistent' };

  it('task history exits 6 saying git is not installed', () => {
    const repo = oneTask();
    const r = hzl(repo, ['task', 'history', '1'], { env: NO_GIT });
    expect(r.status).toBe(6);
    expect(expectOneLine(r)).toBe('git is not installed or not on PATH; install git or put it on PATH');
  });

  it('doctor says git cannot run, not that the merge driver is missing', () => {
    const repo = oneTask();
    const r = hzl(repo, ['doctor'], { env: NO_GIT });
    expect(r.status).toBe(5);
    expect(r.stdout).not.toMatch(/merge driver is not registered/);
    expect(r.stdout).toMatch(/^problem: git is not installed or not on PATH: the merge driver could not be checked; /m);
  });
});

describe('a repository git cannot read', () => {
  it('doctor says what git said, not that the merge driver is missing', () => {
    const repo = oneTask();
    renameSync(join(repo, '.git'), join(repo, '.git-aside'));
    writeFileSync(join(repo, '.git'), `gitdir: ${join(repo, 'no-such-git-dir')}\n`);
    const r = hzl(repo, ['doctor']);
    expect(r.status).toBe(5);
    expect(r.stdout).not.toMatch(/merge driver is not registered/);
    expect(r.stdout).toMatch(
      new RegExp(
        String.raw`^problem: git cannot read this repository \(not a git repository: .*\): ` +
          "the merge driver could not be checked; run 'git status' to see what is wrong$",
        'm',
      ),
    );
  });
});

/** Rewrites task `id`'s file with `edit`. */
function editTask(repo: string, id: number, edit: (text: string) => string): void {
  writeFileSync(taskFile(repo, id), edit(readTask(repo, id)));
}

function doctorProblems(repo: string): Array<{ code: string; message: string }> {
  const r = hzl(repo, ['doctor', '--json']);
  expect(r.stderr).not.toMatch(/unexpected|\n\s+at /);
  return JSON.parse(r.stdout || '{"problems":[]}').problems;
}

function threeTasks(): string {
  const repo = tempRepo();
  for (const title of ['A', 'B', 'C']) expect(hzl(repo, ['task', 'add', title], { env: ALICE }).status).toBe(0);
  return repo;
}

describe('doctor finds what merges and hand edits leave', () => {
  it('a dependency cycle that a merge made, reported once with its path', () => {
    const repo = threeTasks();
    // Each branch added one link; together they make 1 → 2 → 3 → 1.
    editTask(repo, 1, (t) => t.replace('priority: 0\n', 'priority: 0\ndepends_on: [2]\n'));
    editTask(repo, 2, (t) => t.replace('priority: 0\n', 'priority: 0\ndepends_on: [3]\n'));
    editTask(repo, 3, (t) => t.replace('priority: 0\n', 'priority: 0\ndepends_on: [1]\n'));
    const problems = doctorProblems(repo);
    expect(problems.filter((p) => p.code === 'cycle')).toEqual([
      {
        code: 'cycle',
        fixed: false,
        message:
          'tasks #1 → #2 → #3 → #1 depend on each other, so none can start: ' +
          "'hzl task update 1 --depends-on …' to break the cycle",
      },
    ]);
    expect(hzl(repo, ['doctor']).status).toBe(5);
  });

  it('a parent cycle and a task that depends on itself or is its own parent', () => {
    const repo = threeTasks();
    editTask(repo, 1, (t) => t.replace('priority: 0\n', 'priority: 0\nparent: 2\n'));
    editTask(repo, 2, (t) => t.replace('priority: 0\n', 'priority: 0\nparent: 1\n'));
    editTask(repo, 3, (t) => t.replace('priority: 0\n', 'priority: 0\ndepends_on: [3]\nparent: 3\n'));
    const messages = doctorProblems(repo)
      .map((p) => `${p.code}: ${p.message}`)
      .sort();
    expect(messages).toEqual([
      "cycle: tasks #1 → #2 → #1 are each other's parents: 'hzl task update 1 --parent …' to break the cycle",
      "self-link: task #3 depends on itself: 'hzl task update 3 --depends-on …' without 3",
      'self-link: task #3 is its own parent: \'hzl task update 3 --parent ""\' to clear it',
    ]);
  });

  it('control characters in a title, an author, a tag or an entry, shown escaped', () => {
    const repo = threeTasks();
    editTask(repo, 1, (t) => t.replace('title: A', 'title: "A\\e[2J"'));
    editTask(repo, 2, (t) => t.replace('priority: 0\n', 'priority: 0\ntags: ["x\\by"]\n'));
    editTask(repo, 3, (t) => t.replace(': created (ready)', ': created \u0001(ready)'));
    const r = hzl(repo, ['doctor']);
    expect(r.status).toBe(5);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    const found = doctorProblems(repo)
      .filter((p) => p.code === 'control-characters')
      .map((p) => p.message);
    expect(found).toEqual([
      "task #1: its title contains a control character (U+001B): 'hzl task update 1 --title …' to replace it",
      'task #2: its tags contain a control character (U+0008): edit .hzl/tasks/2-b.md to remove it',
      'task #3: its History contains a control character (U+0001): edit .hzl/tasks/3-c.md to remove it',
    ]);
    // An author hzl could not have written makes the whole file malformed, so it is said as that.
    editTask(repo, 2, (t) => t.replace('priority: 0\n', 'priority: 0\nauthor: "bo\\u0007b"\n'));
    expect(
      doctorProblems(repo)
        .filter((p) => p.code === 'malformed')
        .map((p) => p.message),
    ).toEqual([expect.stringMatching(/^\.hzl\/tasks\/2-b\.md:\d+: .*author/)]);
  });

  it('ids over 9 digits: an unseen file, an id in front-matter, a dependency; --fix hides no task', () => {
    const repo = threeTasks();
    writeFileSync(join(repo, '.hzl/tasks/1234567890-big.md'), readTask(repo, 3).replace('id: 3', 'id: 1234567890'));
    editTask(repo, 2, (t) => t.replace('id: 2', 'id: 9876543210'));
    editTask(repo, 1, (t) => t.replace('priority: 0\n', 'priority: 0\ndepends_on: [12345678901]\n'));
    const problems = doctorProblems(repo).filter((p) => p.code === 'id-too-large');
    expect(problems.map((p) => p.message)).toEqual([
      '.hzl/tasks/1234567890-big.md: its id has more than 9 digits, so hzl does not see this file: ' +
        'rename it to the next free id and change its id: line to match',
      '.hzl/tasks/1-a.md: depends_on names #12345678901, more than 9 digits: ' +
        "'hzl task update 1 --depends-on …' to fix it",
      '.hzl/tasks/2-b.md: its id 9876543210 has more than 9 digits: set it back to 2, as its name says',
    ]);
    const before = snapshot(repo);
    const fixed = hzl(repo, ['doctor', '--fix']);
    expect(fixed.status).toBe(5);
    expect(snapshot(repo)).toEqual(before); // not renamed to a name that no command would see
  });

  it('valid Markdown is not a conflict: a setext underline, a quoted >>>>>>>, a lone <<<<<<<', () => {
    const repo = threeTasks();
    editTask(repo, 1, (t) =>
      t.replace('---\n\n', '---\n\nDesign\n=======\n\n>>>>>>> quoted from a log\n\n<<<<<<< and this\n\n'),
    );
    expect(doctorProblems(repo)).toEqual([]);
    expect(hzl(repo, ['doctor']).status).toBe(0);
  });

  it('a real conflict block is still found, at its first line', () => {
    const repo = threeTasks();
    editTask(repo, 2, (t) =>
      t.replace(
        '---\n\n',
        '---\n\nDesign\n=======\n\n<<<<<<< HEAD\nours\n||||||| base\nold\n=======\ntheirs\n>>>>>>> other\n',
      ),
    );
    expect(doctorProblems(repo).map((p) => p.message)).toEqual([
      '.hzl/tasks/2-b.md:13: conflict markers left by a merge: while the merge is unfinished, ' +
        'redo it with the hzl driver (git checkout -m -- .hzl/tasks/2-b.md); ' +
        'else edit the file to keep both sides; then run hzl doctor again',
    ]);
  });
});

/** A task with only the fields the checks look at. */
function task(id: number, links: { depends_on?: number[]; parent?: number } = {}, text: Partial<Task> = {}): Task {
  return {
    id,
    title: `T${id}`,
    status: 'ready',
    priority: 0,
    tags: [],
    depends_on: links.depends_on ?? [],
    ...(links.parent !== undefined ? { parent: links.parent } : {}),
    created: '2024-01-15T10:00:00Z',
    updated: '2024-01-15T10:00:00Z',
    description: '',
    checkpoints: [],
    history: [],
    ...text,
  };
}

describe('the last id', () => {
  it('an id counter at 999999999 is passed over: task add never mints a 10-digit id no command could see', () => {
    const repo = oneTask();
    writeFileSync(join(repo, '.git/hzl/last-id'), '999999999\n');
    const r = hzl(repo, ['task', 'add', 'One more'], { env: ALICE });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: '2\n' });
    expect(r.stderr).toMatch(/hzl: warning: .*999999999/);
  });
});

describe('the checks behind doctor (core)', () => {
  it('one cycle per group of tasks that reach each other, the shortest from the lowest id', () => {
    const tasks = [
      task(1, { depends_on: [2] }),
      task(2, { depends_on: [3, 1] }),
      task(3, { depends_on: [1] }), // 1 → 2 → 1 is shortest
      task(4, { depends_on: [5] }),
      task(5, { depends_on: [6] }),
      task(6, { depends_on: [4, 7] }),
      task(7),
      task(8, { depends_on: [8, 99] }), // a self-link and a link to nowhere are not cycles
    ];
    expect(linkCycles(tasks, 'depends_on')).toEqual([
      [1, 2, 1],
      [4, 5, 6, 4],
    ]);
    expect(selfLinks(tasks)).toEqual([{ id: 8, field: 'depends_on' }]);
    expect(linkCycles(tasks, 'parent')).toEqual([]);
  });

  it('a chain of 20,000 tasks closed into one loop: no stack overflow', () => {
    const n = 20_000;
    const tasks = Array.from({ length: n }, (_, i) => task(i + 1, { parent: ((i + 1) % n) + 1 }));
    const [cycle] = linkCycles(tasks, 'parent');
    expect(cycle).toHaveLength(n + 1);
    expect([cycle![0], cycle![1], cycle!.at(-1)]).toEqual([1, 2, 1]);
  });

  it('conflict markers count only as a block in order', () => {
    expect(conflictMarkerLine('a\n=======\nb\n>>>>>>> x\n<<<<<<< y\n')).toBeUndefined();
    expect(conflictMarkerLine('Title\n=======\n\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> other\n')).toBe(4);
    expect(conflictMarkerLine('<<<<<<<\na\n=======\nb\n>>>>>>>\n')).toBe(1);
    expect(conflictMarkerLine('<<<<<<<< eight\na\n========\nb\n>>>>>>>> eight\n')).toBeUndefined();
  });

  it('control characters: tabs are fine in texts, not in one-line fields', () => {
    const t = task(
      1,
      {},
      {
        title: 'a\tb',
        description: 'x\ty',
        tags: ['ok'],
        history: [{ at: '2024-01-15T10:00:00Z', author: 'b\u009bx', text: 'fine' }],
      },
    );
    expect(controlCharacters(t)).toEqual([
      { field: 'title', char: 'U+0009' },
      { field: 'History', char: 'U+009B' },
    ]);
  });

  it('file system errors name the path relative to the working directory, or the folder of a temp file', () => {
    const err = (code: string, syscall: string, path?: string) =>
      Object.assign(new Error(code), { code, syscall, ...(path ? { path } : {}) });
    expect(explainFsError(err('EROFS', 'open', '/r/.hzl/tasks/.1-a.md.7.1.tmp'), '/r')?.message).toBe(
      'cannot write in .hzl/tasks: read-only file system; run hzl where the repository can be written',
    );
    expect(explainFsError(err('ENOSPC', 'write', '/elsewhere/x'), '/r')?.message).toBe(
      'cannot write /elsewhere/x: no space left on device; free some space and run the command again',
    );
    expect(explainFsError(err('EISDIR', 'read'), '/r')?.exitCode).toBe(5);
    expect(explainFsError(err('EWHATEVER', 'open', '/r/x'), '/r')).toBeUndefined();
    expect(explainFsError(new Error('plain'), '/r')).toBeUndefined();
  });
});
