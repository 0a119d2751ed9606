// The states a user meets besides warm caches: no cache at all, a checkout that changed many
// files, two worktrees of one clone taking turns, `complete`, global options before the command,
// and 100,000 tasks. Cases and goals in the shape of run.mjs's COMMANDS and GOALS.

import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT, cleanEnv, run } from './repo.mjs';

/** The caches a listing reads, in the worktree's own git dir: what a fresh clone lacks. */
const CACHES = ['index.json', 'notes.json', 'folder.index', 'folder.stamp', 'search.cache'];
/** A checkout that changed a tenth of the files: 1,000 of 10,000. */
const checkoutFiles = (repo) => Math.round(repo.tasks / 10);

/** The first `n` task files (by name), read once: what the untimed "checkout" rewrites. */
function someFiles(repo, n) {
  repo.checkoutFiles ??= readdirSync(repo.tasksDir)
    .filter((f) => f.endsWith('.md'))
    .slice(0, n)
    .map((name) => ({ path: join(repo.tasksDir, name), text: readFileSync(join(repo.tasksDir, name)) }));
  return repo.checkoutFiles;
}

/** As `git checkout` leaves files it changed: new inodes, new times. */
function rewrite(files) {
  for (const f of files) {
    rmSync(f.path);
    writeFileSync(f.path, f.text);
  }
}

/** A second worktree of the clone (its own checkout of every file), listed once. */
function addWorktree(repo) {
  repo.otherDir = `${repo.dir}-other`; // removed with the repository (run.mjs)
  run('git', ['worktree', 'add', '-q', '-b', 'bench-other', repo.otherDir], { cwd: repo.dir, env: cleanEnv() });
}

const completeCase = {
  key: 'complete',
  name: 'task complete',
  in: ['small', 'medium', 'large'],
  args: (_round, repo) => ['task', 'complete', String(repo.claimId)],
  before: (repo) => writeFileSync(repo.claimPath, repo.claimText),
  after: (repo) => writeFileSync(repo.claimPath, repo.claimText),
  dirties: true,
  note:
    'a ready task completed each round (its subtasks learnt first: from folder.index where the folder is as ' +
    'a listing saw it, else from a listing), put back to its ready bytes, untimed',
};

export const STATE_COMMANDS = [
  {
    key: 'list-cold',
    name: 'task list, no cache',
    in: ['large'],
    args: () => ['task', 'list'],
    before: (repo) => {
      for (const name of CACHES) rmSync(join(repo.dir, '.git', 'hzl', name), { force: true });
    },
    dirties: true,
    note: 'every cache deleted, untimed, before each run: a fresh clone, or caches of another hzl version',
  },
  {
    key: 'list-checkout',
    name: 'task list, a tenth of the files changed',
    in: ['large'],
    args: () => ['task', 'list'],
    before: (repo) => rewrite(someFiles(repo, checkoutFiles(repo))),
    dirties: true,
    note:
      'a tenth of the task files (1,000 of 10,000) replaced (new inodes and times, same bytes), untimed, ' +
      'before each run: as after a checkout or rebase that touched them',
  },
  {
    key: 'list-worktree',
    name: 'task list, in a second worktree',
    in: ['large'],
    args: () => ['task', 'list'],
    setup: addWorktree,
    cwd: (repo) => repo.otherDir,
    note:
      'in a second worktree of the clone, between listings in the first (task list runs there in the same round): ' +
      'each keeps its own caches',
  },
  completeCase,
  {
    key: 'show-json',
    name: 'task show --json',
    in: ['small', 'medium', 'large'],
    args: () => ['task', 'show', '1', '--json'],
    note: 'as `task show`, one JSON document',
  },
  {
    key: 'show-json-first',
    name: '--json task show',
    in: ['small', 'medium', 'large'],
    args: () => ['--json', 'task', 'show', '1'],
    note: 'the global --json before the command: the fast path all the same',
  },
  {
    key: 'show-C',
    name: '-C DIR task show',
    in: ['small', 'medium', 'large'],
    args: (_round, repo) => ['-C', repo.dir, 'task', 'show', '1'],
    note: '-C DIR before the command, as agents and scripts write it',
  },
  {
    key: 'checkpoint-C',
    name: '-C DIR task checkpoint',
    in: ['small', 'medium', 'large'],
    args: (round, repo) => [
      '-C',
      repo.dir,
      'task',
      'checkpoint',
      '1',
      `Round ${round}: wired the session store into the login handler`,
    ],
    after: (repo) => writeFileSync(repo.task1Path, repo.task1Text),
    dirties: true,
    note: 'as `task checkpoint`, with -C DIR first',
  },
  {
    key: 'claim-C',
    name: '-C DIR task claim',
    in: ['small', 'medium', 'large'],
    args: (_round, repo) => ['-C', repo.dir, 'task', 'claim', String(repo.claimId), '--author', AGENT],
    before: (repo) => writeFileSync(repo.claimPath, repo.claimText),
    after: (repo) => writeFileSync(repo.claimPath, repo.claimText),
    dirties: true,
    note: 'as `task claim`, with -C DIR first',
  },
];

const sizes = ['small', 'medium', 'large'];
const each = (key, goal) => Object.fromEntries(sizes.map((s) => [`${key}@${s}`, goal]));
const within = (key) =>
  Object.fromEntries(sizes.map((s) => [`${key}@${s}`, { vs: `${key.replace(/-C$|-first$/, '')}@${s}`, within: 0.05 }]));

/** Goals by case id, over run.mjs's own: ratios to bare node, or within 0.05× of the same call. */
export const STATE_GOALS = {
  ...each('show', { ratio: 1.2 }),
  ...each('checkpoint', { ratio: 1.3 }),
  ...each('claim', { ratio: 1.3 }),
  'list@large': { ratio: 2.5 },
  'list-checkout@large': { ratio: 4 },
  'list-cold@large': { ratio: 8 },
  'list-worktree@large': { ratio: 3 },
  'complete@large': { ratio: 1.5 },
  'list@huge': { ratio: 15 },
  ...within('show-C'),
  ...within('checkpoint-C'),
  ...within('claim-C'),
  ...within('show-json-first'),
};
