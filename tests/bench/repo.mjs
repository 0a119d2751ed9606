// A repository for the benchmark (tests/bench/run.mjs): a real git repository with `hzl init`,
// task #1 made through the CLI, and the other tasks written directly in the format hzl writes,
// since thousands of CLI calls would take minutes. Task #1 doubles as a check on the generator:
// its CLI-made file must equal the generator's version byte for byte.

import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HZL = resolve(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'hzl.js');
/** HZL_AUTHOR of the timed runs, and the holder of task #1, so its checkpoints extend the lease. */
export const AGENT = 'bench-agent';

/** Like tests/helpers.ts: no user git config, no HZL_* or GIT_* from the caller, a fixed zone. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('HZL_') && !k.startsWith('GIT_')) env[k] = v;
  }
  return { ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', TZ: 'UTC', NO_COLOR: '1', ...extra };
}

/** Runs a command to its end; throws with its stderr when it fails. */
export function run(command, args, { cwd, env, input }) {
  const r = spawnSync(command, args, { cwd, env, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) {
    throw new Error(
      `'${[command, ...args].join(' ')}' failed (exit ${r.status ?? r.signal}) in ${cwd}:\n${r.stderr}${r.error ?? ''}`,
    );
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Generated tasks: deterministic (no randomness), plain titles and names, so that the YAML
// is written the same way js-yaml would write it

const BASE_TIME = Date.parse('2024-01-15T09:00:00Z');
const stampAt = (minutes) => new Date(BASE_TIME + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const AGENTS = ['claude-code', 'codex', 'alice', 'bob'];
const TAGS = [['auth', 'backend'], ['api'], ['docs'], ['frontend', 'ui'], [], ['infra', 'ci'], ['db']];
const VERBS = ['Add', 'Fix', 'Refactor', 'Document', 'Test', 'Remove', 'Speed up', 'Design'];
const THINGS = [
  'the session store',
  'rate limiting',
  'the login form',
  'the billing export',
  'search indexing',
  'the audit log',
  'password reset',
  'the CLI help',
  'webhook retries',
  'the admin dashboard',
  'CSV import',
];
const NOTES = [
  'Read the existing code in src/server and listed the call sites',
  'Wrote the failing tests first (tests/session.test.ts)',
  'Implemented the happy path; errors still return 500',
  'Decision: keep the old endpoint for one release, behind a flag',
  'Blocked on review of the schema change, moved on to docs meanwhile',
  [
    'Split the migration in two so that it can run without downtime',
    'Files: db/migrations/0042_sessions.sql, src/db/sessions.ts',
    'Next: backfill job',
  ].join('\n'),
  'Benchmarked: p95 went from 180 ms to 40 ms',
];
const DESCRIPTIONS = [
  'Users sign up and log in with email + password. Sessions expire after 24 h.',
  'Follow-up from the incident review.\n\n- keep the public API unchanged\n- add a metric for every failure path',
  'See the design doc in docs/adr/0007.md. Done when the e2e suite passes on CI.',
  '',
];

/** Task #1 as the CLI makes it; also the spec the generator must reproduce byte for byte. */
const TASK_1 = {
  title: 'Implement user authentication',
  description: DESCRIPTIONS[0],
  priority: 2,
  tags: ['auth', 'backend'],
  checkpoints: [NOTES[0], NOTES[1], NOTES[5]],
};

/** The file text hzl writes for a task (src/format/task-file.ts), for plain titles and names. */
function taskFile(t) {
  const entry = (e) => {
    const [first, ...rest] = e.text.split('\n');
    return [`- [${e.at}] ${e.author}: ${first}`, ...rest.map((l) => (l === '' ? '' : `  ${l}`))].join('\n');
  };
  const fm = [`id: ${t.id}`, `title: ${t.title}`, `status: ${t.status}`, `priority: ${t.priority}`];
  if (t.author) fm.push(`author: ${t.author}`);
  if (t.tags.length) fm.push(`tags: [${t.tags.join(', ')}]`);
  if (t.depends_on.length) fm.push(`depends_on: [${t.depends_on.join(', ')}]`);
  if (t.lease_until) fm.push(`lease_until: ${t.lease_until}`);
  fm.push(`created: ${t.created}`, `updated: ${t.updated}`);
  const description = t.description ? `\n${t.description}\n\n` : '\n';
  const history = t.history.length ? `\n${t.history.map(entry).join('\n')}\n\n` : '\n';
  const checkpoints = t.checkpoints.length ? `\n${t.checkpoints.map(entry).join('\n')}\n` : '';
  return `---\n${fm.join('\n')}\n---\n${description}## History\n${history}## Checkpoints\n${checkpoints}`;
}

function slugify(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}

/** Task #1's file as the generator would write it, given the times the CLI was run at. */
function expectedTask1(times) {
  const [created, claimed, ...notes] = times;
  return taskFile({
    id: 1,
    ...TASK_1,
    status: 'in_progress',
    author: AGENT,
    depends_on: [],
    lease_until: new Date(Date.parse(notes.at(-1)) + 2 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    created,
    updated: notes.at(-1),
    checkpoints: TASK_1.checkpoints.map((text, i) => ({ at: notes[i], author: AGENT, text })),
    history: [
      { at: created, author: AGENT, text: 'created (ready)' },
      { at: claimed, author: AGENT, text: 'claimed (ready → in_progress, lease 2h)' },
    ],
  });
}

/** Task `id` (2…n) of a generated repository: a mix of statuses, 2–5 checkpoints each. */
function generatedTask(id) {
  const minute = id * 37;
  const kind = id % 10; // 0–2 done, 3–4 in_progress, 5 backlog, 6–9 ready
  const status = kind <= 2 ? 'done' : kind <= 4 ? 'in_progress' : kind === 5 ? 'backlog' : 'ready';
  const author = AGENTS[id % AGENTS.length];
  const created = stampAt(minute);
  const checkpoints = [];
  const count = status === 'backlog' ? 1 : 2 + (id % 4);
  for (let i = 0; i < count; i++) {
    checkpoints.push({ at: stampAt(minute + 10 + 15 * i), author, text: NOTES[(id + i) % NOTES.length] });
  }
  const last = checkpoints.at(-1).at;
  const claimed = stampAt(minute + 5);
  const history = [
    {
      at: created,
      author: AGENTS[(id + 2) % AGENTS.length],
      text: `created (${status === 'backlog' ? 'backlog' : 'ready'})`,
    },
  ];
  if (status !== 'backlog') history.push({ at: claimed, author, text: 'claimed (ready → in_progress, lease 2h)' });
  if (status === 'done') history.push({ at: last, author, text: 'completed (in_progress → done)' });
  if (status === 'ready') history.push({ at: last, author, text: 'released (in_progress → ready)' });
  const task = {
    id,
    title: `${VERBS[id % VERBS.length]} ${THINGS[id % THINGS.length]} (part ${id})`.replace(/[()]/g, ''),
    status,
    priority: id % 4,
    tags: TAGS[id % TAGS.length],
    depends_on: id % 7 === 0 ? [id - 1] : [],
    created,
    updated: last,
    description: DESCRIPTIONS[id % DESCRIPTIONS.length],
    checkpoints,
    history,
  };
  if (status === 'in_progress' || status === 'done') task.author = author;
  if (status === 'in_progress') task.lease_until = stampAt(minute + 5 + 120);
  return task;
}

/**
 * Turns the empty directory `dir` into a git repository with `size` tasks, committed. Returns the
 * task to claim (a ready one without dependencies: its path and ready bytes, to put back before
 * each claim) and, when the generator no longer matches what hzl writes, where they differ.
 */
export function makeRepo(dir, size) {
  const git = (...args) => run('git', args, { cwd: dir, env: cleanEnv() });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench User');
  git('config', 'user.email', 'bench@example.com');
  git('config', 'commit.gpgsign', 'false');
  git('config', 'core.autocrlf', 'false');
  git('config', 'gc.auto', '0');
  const hzl = (args, now) =>
    run(process.execPath, [HZL, ...args], { cwd: dir, env: cleanEnv({ HZL_AUTHOR: AGENT, HZL_NOW: now }) });
  hzl(['init'], stampAt(0));

  // Task #1 through the CLI, at pinned times; then check that the generator writes the same bytes.
  const times = [0, 1, 30, 45, 60].map((m) => stampAt(m));
  hzl(
    ['task', 'add', TASK_1.title, '-d', TASK_1.description, '-p', String(TASK_1.priority), '-t', TASK_1.tags.join(',')],
    times[0],
  );
  hzl(['task', 'claim', '1', '--author', AGENT], times[1]);
  for (const [i, text] of TASK_1.checkpoints.entries()) hzl(['task', 'checkpoint', '1', text], times[2 + i]);
  const tasksDir = join(dir, '.hzl', 'tasks');
  const actual = readFileSync(join(tasksDir, `1-${slugify(TASK_1.title)}.md`), 'utf8');
  const expected = expectedTask1(times);
  const formatDrift = actual === expected ? undefined : firstDifference(expected, actual);

  let claimTask;
  for (let id = 2; id <= size; id++) {
    const { task, name, text } = generatedTaskFile(id);
    const path = join(tasksDir, name);
    writeFileSync(path, text);
    if (!claimTask && task.status === 'ready' && task.depends_on.length === 0) claimTask = { id, path, text };
  }
  if (!claimTask) throw new Error(`a ${size}-task repository has no ready task to claim`);

  // Every file must parse: `list --all` shows them all.
  const listed = hzl(['task', 'list', '--all', '--json'], stampAt(0));
  const count = JSON.parse(listed.stdout).tasks.length;
  if (count !== size) {
    throw new Error(`the generated repository lists ${count} of ${size} tasks:\n${listed.stderr}`);
  }
  git('add', '-A');
  git('commit', '-q', '-m', `${size} tasks for the benchmark`);
  return { dir, tasks: size, claimId: claimTask.id, claimPath: claimTask.path, claimText: claimTask.text, formatDrift };
}

/** Task `id` (2…n) of a generated repository: the task, its file name and its file text. */
export function generatedTaskFile(id) {
  const task = generatedTask(id);
  return { task, name: `${id}-${slugify(task.title)}.md`, text: taskFile(task) };
}

/** A copy of a repository made by makeRepo, git directory and hzl state included. */
export function copyRepo(from, to) {
  cpSync(from, to, { recursive: true, preserveTimestamps: true });
}

/**
 * Adds `count` branches to a repository made by makeRepo (`size` tasks on main): branch i points
 * at a commit on top of main that adds task size+i, as if each branch had been cut from main to
 * add one task. One `git fast-import` stream (a single pack), so 200 branches take well under a
 * second. Also returns the tree of one more such commit (task size+count+1), unreferenced: a
 * benchmark case makes a new branch from it with `git commit-tree` and `git update-ref`.
 */
export function addBranches(dir, size, count) {
  const git = (args, input) => run('git', args, { cwd: dir, env: cleanEnv(), input });
  const main = git(['rev-parse', 'HEAD']).stdout.trim();
  const when = Math.floor(BASE_TIME / 1000) + 86_400;
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = (ref, id, message) => {
    const { name, text } = generatedTaskFile(id);
    return (
      `commit ${ref}\ncommitter Bench User <bench@example.com> ${when + id} +0000\n${data(message)}` +
      `from ${main}\nM 100644 inline .hzl/tasks/${name}\n${data(text)}\n`
    );
  };
  let stream = '';
  for (let i = 1; i <= count; i++)
    stream += commit(`refs/heads/feature/${String(i).padStart(3, '0')}`, size + i, `Add task ${size + i}`);
  const template = 'refs/heads/bench-template';
  stream += commit(template, size + count + 1, `Add task ${size + count + 1}`);
  git(['fast-import', '--quiet'], stream);
  const tree = git(['rev-parse', `${template}^{tree}`]).stdout.trim();
  git(['update-ref', '-d', template]);
  const refs = git(['for-each-ref', '--format=%(refname)']).stdout.trim().split('\n').length;
  if (refs !== count + 1) throw new Error(`expected ${count + 1} refs after adding ${count} branches, found ${refs}`);
  return { main, newBranchTree: tree, newBranchTask: size + count + 1 };
}

function firstDifference(a, b) {
  const al = a.split('\n');
  const bl = b.split('\n');
  const i = al.findIndex((line, n) => line !== bl[n]);
  const n = i === -1 ? al.length : i;
  return `line ${n + 1}: expected ${JSON.stringify(al[n] ?? '<end>')}, hzl wrote ${JSON.stringify(bl[n] ?? '<end>')}`;
}
