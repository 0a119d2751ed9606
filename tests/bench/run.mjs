// `npm run bench`: the wall time of hzl commands as ratios to a bare
// `node -e 0` measured in the same run, and their peak memory. A report, not a test: it exits 0
// when a goal is missed, and 1 only when the benchmark itself cannot run (no build, a command
// that fails).
//
//   node tests/bench/run.mjs [--rounds N] [--warmup N] [--only TEXT] [--list] [--json] [--keep]
//
// Rounds are interleaved: each round runs the baseline, then every case once, so that machine
// noise (other processes, CPU frequency, page cache) hits all of them alike. Figures are medians,
// and each case's ratio is to the baseline median of the rounds that case ran in. Repositories
// and cases are tables: a size is one line in REPOS, a command one entry in COMMANDS.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT, HZL, addBranches, cleanEnv, copyRepo, makeRepo, run } from './repo.mjs';
import { REMOTE_REPO, remoteCommands, startRemote } from './remote.mjs';
import { STATE_COMMANDS, STATE_GOALS } from './states.mjs';
import { tokenFigures } from './tokens.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIME = '/usr/bin/time';
const RSS_RUNS = 5;
const STARTED = Date.now();

// ---------------------------------------------------------------------------------------------
// Repositories

/**
 * Repositories by name. `rounds`: at most this many of the timed rounds run this repository's
 * cases (spread evenly over the run), to keep the whole benchmark within a few minutes; the
 * output says so. `branches`: that many extra branches, each one commit on top of main
 * adding one task. `copyOf`: made by copying that repository (same tasks, same commit) when it is
 * built too, which is faster than generating it again.
 */
const SCALE = benchScale(process.env.HZL_BENCH_SCALE);
const sized = (tasks) => Math.max(20, Math.round(tasks * SCALE));
const tasksLabel = (tasks, more = '') => `${sized(tasks).toLocaleString('en')} tasks${more}`;
const REPOS = {
  small: { tasks: sized(50), label: tasksLabel(50) },
  medium: { tasks: sized(1_000), label: tasksLabel(1_000) },
  large: { tasks: sized(10_000), label: tasksLabel(10_000), rounds: 15 },
  oneBranch: { tasks: sized(2_000), branches: 0, label: tasksLabel(2_000, ', 1 branch') },
  branches: { tasks: sized(2_000), branches: 200, label: tasksLabel(2_000, ', 200 branches'), copyOf: 'oneBranch' },
  huge: { tasks: sized(100_000), label: tasksLabel(100_000), rounds: 5 },
  remote: REMOTE_REPO, // `remote: origin` over a loopback git daemon (tests/bench/remote.mjs)
};

/** `HZL_BENCH_SCALE`: every repository's task count times this (0.1: a quick run), 1 by default. */
function benchScale(text) {
  if (text === undefined || text === '') return 1;
  const n = Number(text);
  if (!(n > 0)) {
    process.stderr.write(`bench: HZL_BENCH_SCALE must be a number above 0, got '${text}'\n`);
    process.exit(1);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Cases

const ADD_TITLE = 'Bench: add a task';
const ADD_SLUG = 'bench-add-a-task'; // slugify(ADD_TITLE), the file name hzl gives it
const SEARCH = ['rate', 'limiting']; // in about 1 title in 11; most files are ruled out unparsed
const NEW_BRANCH = 'refs/heads/bench-new';
const SERVE_PROBE = resolve(ROOT, 'tests', 'bench', 'serve-probe.mjs');

/** Puts back what a `task add` made: its file goes and the id counter returns to its start. */
function undoAdd(repo) {
  const id = Number(readFileSync(repo.counterPath, 'utf8').trim());
  const path = join(repo.tasksDir, `${id}-${ADD_SLUG}.md`);
  if (!existsSync(path)) throw new Error(`'task add' left no ${path} (last-id says ${id})`);
  rmSync(path);
  writeFileSync(repo.counterPath, repo.counterText);
  // The caches too, as hzl's own delete would leave them: a file removed behind hzl's back makes
  // the next single-task command list the folder, which no user's `task add` causes.
  refreshIndex(repo);
}

const gitIn = (repo, ...args) => run('git', args, { cwd: repo.dir, env: cleanEnv() }).stdout.trim();

/**
 * One command of the matrix, run in every repository listed in `in`. `args(round, repo)` is the
 * argv after `hzl`; `setup(repo)` runs once, before the warm-up; `before` and `after` run untimed
 * around every run (timed, warm-up and memory runs alike) and put the repository back as it was,
 * so that every round costs the same. `dirties`: the case leaves task files changed since the
 * summary index last saw them (its own write, or the untimed restore), so the index is refreshed
 * untimed at the end of the round: listings are measured with a warm index (see `list, 1 file
 * changed` for the other case). `goal`: { ratio } to the baseline, { ms } absolute median, or
 * { vs, ratio } to another case's median; `compare`: that ratio reported without a goal.
 * `rssGoalMB`: the peak RSS must stay under this many MB (10^6 bytes).
 */
const COMMANDS = [
  {
    key: 'show',
    name: 'task show',
    in: ['small', 'medium', 'large'],
    args: () => ['task', 'show', '1'],
    note: 'task #1: in progress, description, 3 checkpoints (also lists its subtasks from the summary index)',
  },
  {
    key: 'help',
    name: 'task show --help',
    in: ['small'],
    args: () => ['task', 'show', '--help'],
    note: 'help, like a usage error, is the one path that loads yargs (dist/cli.mjs). No goal: for scale',
  },
  {
    key: 'list',
    name: 'task list',
    in: ['small', 'medium', 'large', 'huge'],
    args: () => ['task', 'list'],
    note: 'every task not archived, one line each (stdout to /dev/null), from a warm summary index',
  },
  {
    key: 'available',
    name: 'task list --available',
    in: ['small', 'medium', 'large'],
    args: () => ['task', 'list', '--available'],
    note: 'ready, unclaimed, dependencies done; warm summary index',
  },
  {
    key: 'search',
    name: 'task search',
    in: ['small', 'medium', 'large'],
    args: () => ['task', 'search', ...SEARCH],
    note:
      `"${SEARCH.join(' ')}", in ~9 % of the tasks: the texts from search.cache, ` +
      "the matches' parsed tasks from it too; no task file read",
  },
  {
    key: 'list-stale',
    name: 'task list, 1 file changed',
    in: ['large'],
    args: () => ['task', 'list'],
    before: (repo) => writeFileSync(repo.claimPath, repo.claimText), // same bytes, new mtime and ctime
    note:
      'as `task list`, but one task file was rewritten since the last listing (as after any write ' +
      'by any agent): that row is rebuilt and index.json saved again. No goal: for scale',
  },
  {
    key: 'board',
    name: 'board --once',
    in: ['medium'],
    args: () => ['board', '--once'],
    skip: boardMissing,
    goal: { ms: 1000 },
    note:
      "the interactive board's first frame, rendered once and printed (100 × 30: no terminal); " +
      'loads dist/board.mjs (ink, react). Goal in absolute time',
  },
  {
    key: 'serve',
    name: 'serve, start-up to first byte',
    in: ['small'],
    script: SERVE_PROBE,
    args: () => ['/task/1'],
    note:
      'a probe starts `hzl serve --port 0`, reads the address it prints, fetches /task/1 to its last byte and ' +
      "stops the server: so the figure holds one more node start-up (the probe's own) than hzl's",
  },
  {
    key: 'serve-board',
    name: 'serve, the board page',
    in: ['large'],
    script: SERVE_PROBE,
    args: () => ['/'],
    note: 'as `serve, start-up to first byte`, fetching the board (/, at most 100 cards a column) of every task',
  },
  {
    key: 'next',
    name: 'task claim --next',
    in: ['small', 'medium', 'large'],
    args: () => ['task', 'claim', '--next', '--author', AGENT],
    setup: (repo) => {
      // Which task --next takes, found by asking hzl once; then put back.
      const out = run(process.execPath, [HZL, 'task', 'claim', '--next', '--author', AGENT, '--json'], {
        cwd: repo.dir,
        env: RUN_ENV,
      });
      const file = JSON.parse(out.stdout).task?.file;
      if (!file) throw new Error(`'task claim --next' found nothing to claim in the ${repo.tasks}-task repository`);
      gitIn(repo, 'checkout', '--', file);
      repo.nextPath = join(repo.dir, file);
      repo.nextText = readFileSync(repo.nextPath, 'utf8');
    },
    after: (repo) => {
      if (readFileSync(repo.nextPath, 'utf8') === repo.nextText)
        throw new Error(`'task claim --next' did not take ${repo.nextPath} as it did in set-up`);
      writeFileSync(repo.nextPath, repo.nextText);
    },
    dirties: true,
    note:
      'takes the best available task (ready → in_progress) from a warm summary index; ' +
      "that task's file is put back to its ready bytes, untimed, after each run",
  },
  {
    key: 'checkpoint',
    name: 'task checkpoint',
    in: ['small', 'medium', 'large'],
    args: (round) => ['task', 'checkpoint', '1', `Round ${round}: wired the session store into the login handler`],
    after: (repo) => writeFileSync(repo.task1Path, repo.task1Text),
    dirties: true,
    note:
      `appends to task #1, written by its holder (HZL_AUTHOR=${AGENT}), so the lease is extended too; ` +
      'task #1 is put back, untimed, after each run',
  },
  {
    key: 'claim',
    name: 'task claim',
    in: ['small', 'medium', 'large'],
    args: (_round, repo) => ['task', 'claim', String(repo.claimId), '--author', AGENT],
    before: (repo) => writeFileSync(repo.claimPath, repo.claimText),
    after: (repo) => writeFileSync(repo.claimPath, repo.claimText),
    dirties: true,
    note:
      'a fresh claim of a ready task each round (ready → in_progress: status, author, lease, History line); ' +
      'the file is put back to its ready bytes, untimed',
  },
  {
    key: 'add',
    name: 'task add',
    in: ['small', 'medium', 'large', 'oneBranch', 'branches'],
    args: () => ['task', 'add', ADD_TITLE],
    after: undoAdd,
    note:
      'a new ready task: the id lock, the highest id in files, counter and git history (ids-seen.json ' +
      'cache warm: no new ref tips), the file; the file is deleted and the counter put back, untimed',
  },
  {
    key: 'add-new-branch',
    name: 'task add, first after a new branch',
    in: ['branches'],
    args: () => ['task', 'add', ADD_TITLE],
    before: (repo, round) => {
      // A branch hzl has not seen: a new commit (a new tip) adding one task, made untimed.
      const commit = gitIn(
        repo,
        'commit-tree',
        repo.newBranchTree,
        '-p',
        repo.main,
        '-m',
        `New branch, run ${round}.${++repo.newBranches}`,
      );
      gitIn(repo, 'update-ref', NEW_BRANCH, commit);
    },
    after: (repo) => {
      undoAdd(repo);
      gitIn(repo, 'update-ref', '-d', NEW_BRANCH);
    },
    compare: { vs: 'add@oneBranch' },
    note:
      "the ids-seen cache knows every tip but one: hzl scans the one new tip's history " +
      '(`git log --not` the 200 known tips). The branch is made before and deleted after, untimed. No goal',
  },
  {
    key: 'add-cold',
    name: 'task add, no ids-seen cache',
    in: ['branches'],
    args: () => ['task', 'add', ADD_TITLE],
    before: (repo) => rmSync(join(repo.stateDir, 'ids-seen.json'), { force: true }),
    after: undoAdd,
    compare: { vs: 'add@oneBranch' },
    note: 'the first add in a fresh clone: the whole history of all 201 tips is scanned. No goal',
  },
  ...remoteCommands({ agent: AGENT, addTitle: ADD_TITLE, undoAdd }),
  ...STATE_COMMANDS,
];

/** Goals by case id (`key@repo`). */
const GOALS = {
  'show@small': { ratio: 1.3 },
  'checkpoint@small': { ratio: 1.4 },
  'claim@small': { ratio: 1.4 },
  'list@large': { ratio: 3 },
  'available@large': { ratio: 3 },
  'next@large': { ratio: 3 },
  'search@large': { ratio: 3 },
  'add@branches': { vs: 'add@oneBranch', ratio: 2 }, // the steady state only: see the note
  ...STATE_GOALS, // the states users meet (states.mjs); where both set one, these are the goals
};
/** Memory under 150 MB (10^6 bytes: 143.1 MiB) at 10,000 tasks, for every command; 250 MB at 100,000. */
const RSS_GOALS_MB = { large: 150, huge: 250 };

const CASE_NOTES = {
  'add@branches':
    'steady state (after a warm-up add, every tip is in the ids-seen cache): `for-each-ref` ' +
    'and `rev-parse HEAD` still run, the history is not read. The goal (≤ 2× `task add` on 1 branch) is for this case',
};

/** The matrix, in run order: repository by repository (reads before writes within each). */
function allCases() {
  const cases = [];
  for (const repo of Object.keys(REPOS)) {
    for (const c of COMMANDS) {
      if (!c.in.includes(repo)) continue;
      const id = `${c.key}@${repo}`;
      cases.push({
        ...c,
        id,
        repo,
        goal: GOALS[id] ?? c.goal,
        rssGoalMB: RSS_GOALS_MB[repo],
        caseNote: CASE_NOTES[id],
      });
    }
  }
  return besideTheirPairs(cases);
}

/**
 * A case compared with another (`-C DIR task show` with `task show`) runs right after it, so
 * that both meet the machine and the repository in the same state: measured apart, the same
 * call differed by 0.2× with its place in the round (a heavy listing or write just before).
 */
/**
 * The run order of one round: in every other round each compared pair runs the other way round,
 * so that going first or second (a warmer page cache, a busier scheduler) weighs on both alike.
 */
function pairsTakingTurns(cases, round) {
  if (round % 2 === 1) return cases;
  const order = [...cases];
  for (let i = 1; i < order.length; i++) {
    if (order[i].goal?.within !== undefined && order[i - 1].id === order[i].goal.vs)
      [order[i - 1], order[i]] = [order[i], order[i - 1]];
  }
  return order;
}

function besideTheirPairs(cases) {
  const paired = cases.filter((c) => c.goal?.within !== undefined && cases.some((o) => o.id === c.goal.vs));
  const ordered = cases.filter((c) => !paired.includes(c));
  for (const c of paired) ordered.splice(ordered.findIndex((o) => o.id === c.goal.vs) + 1, 0, c);
  return ordered;
}

/** Why the board case cannot run yet, or undefined when it can. */
function boardMissing() {
  if (!existsSync(resolve(ROOT, 'dist', 'board.mjs')))
    return 'TODO(board): dist/board.mjs is not built yet (hzl board is being added)';
  const help = spawnSync(process.execPath, [HZL, 'board', '--help'], { cwd: ROOT, env: RUN_ENV, encoding: 'utf8' });
  if (!/--once\b/.test(help.stdout ?? ''))
    return 'TODO(board): `hzl board --help` shows no --once (render one frame and exit) yet';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Command line

function parseOptions(argv) {
  const options = { rounds: 30, warmup: 2, json: false, keep: false, only: [], list: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    const count = () => {
      const v = value();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) fail(`${flag} needs a whole number, got '${v}'`);
      return n;
    };
    if (flag === '--rounds') options.rounds = count();
    else if (flag === '--warmup') options.warmup = count();
    else if (flag === '--only') options.only.push(value().toLowerCase());
    else if (arg === '--list') options.list = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(
        'usage: node tests/bench/run.mjs [--rounds N (30)] [--warmup N (2)] ' +
          '[--only TEXT]... [--list] [--json] [--keep]\n' +
          '  --only TEXT  run only the cases whose id or label contains TEXT (case-insensitive; repeatable),\n' +
          "               e.g. --only list, --only large, --only 'add@', --only '10,000'\n" +
          '  --list       print the case ids and labels, and exit\n',
      );
      process.exit(0);
    } else fail(`unknown option '${arg}' (try --help)`);
  }
  if (options.rounds < 1) fail('--rounds must be at least 1');
  return options;
}

let progressLine = false; // a `\r` progress line is open on stderr

function fail(message) {
  process.stderr.write(`${progressLine ? '\n' : ''}bench: ${message}\n`);
  process.exit(1);
}

/** Progress goes to stderr, so that `--json` leaves stdout to the one JSON document. */
function say(message) {
  process.stderr.write(`${message}\n`);
}

const label = (c) => `${c.name} [${REPOS[c.repo].label}]`;

// ---------------------------------------------------------------------------------------------
// Timed processes

/** The environment of every timed run: HZL_AUTHOR set, HZL_NOW not. */
const RUN_ENV = cleanEnv({ HZL_AUTHOR: AGENT });

/** Wall time of one run in ms, output discarded, as a user's shell would wait for it. */
function timed(command, args, cwd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd, env: RUN_ENV, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: r.status, signal: r.signal, error: r.error };
}

/** Peak resident set size in KiB, from GNU time's %M (stderr's last line). */
function peakRss(command, args, cwd) {
  const r = spawnSync(TIME, ['-f', '%M', command, ...args], {
    cwd,
    env: RUN_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  return { status: r.status, kib: r.status === 0 && /^\d+$/.test(last) ? Number(last) : undefined, stderr: r.stderr };
}

/**
 * Brings the caches up to date with the files (untimed), as any listing or search does:
 * index.json and notes.json (`list --json`), search.cache (`search`).
 */
function refreshIndex(repo) {
  run(process.execPath, [HZL, 'task', 'list', '--all', '--json'], { cwd: repo.dir, env: RUN_ENV });
  run(process.execPath, [HZL, 'task', 'search', ...SEARCH], { cwd: repo.dir, env: RUN_ENV });
}

// ---------------------------------------------------------------------------------------------
// Measuring

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p) => {
    const at = (sorted.length - 1) * p;
    const lo = Math.floor(at);
    return sorted[lo] + (sorted[Math.ceil(at)] - sorted[lo]) * (at - lo);
  };
  return { median: q(0.5), p25: q(0.25), p75: q(0.75), min: sorted[0], max: sorted.at(-1) };
}

/** How many of `total` timed rounds a repository's cases run in. */
const roundsOf = (repoName, total) => Math.min(total, REPOS[repoName].rounds ?? total);

/** Whether timed round `r` (1-based) is one of the `k` of `n` rounds, spread evenly. */
const runsIn = (r, k, n) => Math.floor((r * k) / n) > Math.floor(((r - 1) * k) / n);

/** A timed command as the user would type it. */
const shown = (args) => (args[0] === process.execPath ? `hzl ${args.slice(2).join(' ')}` : args.join(' '));

function measure(options, repos, cases) {
  const baseline = []; // by timed round, 1-based
  for (const c of cases) c.samples = [];
  const total = options.warmup + options.rounds;
  const runCase = (c, round, body) => {
    const repo = repos[c.repo];
    c.before?.(repo, round);
    const where = c.cwd ? { ...repo, dir: c.cwd(repo) } : repo; // `cwd`: another checkout of the repository
    // `script`: a probe run instead of hzl; `exec`: another program (git) instead of node.
    const args = c.exec
      ? [c.exec, ...c.args(round, repo)]
      : [process.execPath, c.script ?? HZL, ...c.args(round, repo)];
    const result = body(args, where);
    c.after?.(repo, round);
    return result;
  };
  const refreshDirty = (ran) => {
    for (const name of new Set(ran.filter((c) => c.dirties).map((c) => c.repo))) refreshIndex(repos[name]);
  };

  for (let round = 1; round <= total; round++) {
    const warm = round <= options.warmup;
    const r = round - options.warmup;
    process.stderr.write(
      `\r${warm ? 'warm-up' : 'round'} ${warm ? round : r}/${warm ? options.warmup : options.rounds}   `,
    );
    progressLine = true;
    const b = timed(process.execPath, ['-e', '0'], ROOT);
    if (b.status !== 0) throw new Error(`node -e 0 failed (${b.status ?? b.signal ?? b.error})`);
    if (!warm) baseline[r] = b.ms;
    const ran = [];
    for (const c of pairsTakingTurns(cases, round)) {
      if (!warm && !runsIn(r, roundsOf(c.repo, options.rounds), options.rounds)) continue;
      ran.push(c);
      runCase(c, round, (args, repo) => {
        if (warm) {
          run(args[0], args.slice(1), { cwd: repo.dir, env: RUN_ENV }); // output kept: a failure says why
          return;
        }
        const t = timed(args[0], args.slice(1), repo.dir);
        if (t.status !== 0) {
          throw new Error(
            `'${shown(args)}' failed in round ${r} in the ${repo.label} repository ` +
              `(exit ${t.status ?? t.signal ?? t.error}); --keep keeps the repository to look into`,
          );
        }
        c.samples.push({ ms: t.ms, round: r });
      });
    }
    refreshDirty(ran);
  }
  process.stderr.write('\n');
  progressLine = false;

  // Peak memory: separately, since /usr/bin/time is one more process in the way of the timing.
  let rss;
  if (existsSync(TIME) && peakRss(process.execPath, ['-e', '0'], ROOT).kib !== undefined) {
    say(`bench: peak memory, ${RSS_RUNS} runs of each case…`);
    rss = { baseline: [], cases: new Map(cases.map((c) => [c, []])) };
    for (let i = 0; i < RSS_RUNS; i++) {
      rss.baseline.push(peakRss(process.execPath, ['-e', '0'], ROOT).kib);
      for (const c of cases) {
        const p = runCase(c, total + i + 1, (args, repo) => peakRss(args[0], args.slice(1), repo.dir));
        if (p.status !== 0)
          throw new Error(`'hzl ${c.args(0, repos[c.repo]).join(' ')}' failed under ${TIME}:\n${p.stderr}`);
        rss.cases.get(c).push(p.kib);
      }
      refreshDirty(cases);
    }
  }

  // What each case loads: one more untimed run of each, traced.
  say('bench: what each command loads…');
  for (const c of cases) {
    c.loads = c.exec
      ? [`(${c.exec} itself)`]
      : runCase(c, total + RSS_RUNS + 1, (args, repo) => loadsOf(args.slice(1), repo.dir));
  }
  refreshDirty(cases);
  return { baseline, cases, rss };
}

const TRACER = join(ROOT, 'tests', 'bench', 'trace-loads.mjs');

/**
 * What `node <args>` loads beyond Node's start-up and dist/main.js (which bin/hzl.js compiles
 * itself, so no hook sees it), in the words of the report: the on-demand bundles, packages from
 * node_modules, and node:child_process (to run git, or a terminal query of ink's).
 */
function loadsOf(args, cwd) {
  const dir = mkdtempSync(join(tmpdir(), 'hzl-bench-trace-'));
  try {
    const file = join(dir, 'trace');
    writeFileSync(file, '');
    const r = spawnSync(process.execPath, ['--import', TRACER, ...args], {
      cwd,
      env: { ...RUN_ENV, HZL_TRACE_FILE: file },
      stdio: 'ignore',
    });
    if (r.status !== 0)
      throw new Error(`'hzl ${args.slice(1).join(' ')}' failed when traced (exit ${r.status ?? r.signal})`);
    const seen = readFileSync(file, 'utf8').split('\n');
    const loads = [];
    if (seen.some((m) => m.endsWith('/dist/cli.mjs'))) loads.push('dist/cli.mjs (yargs)');
    if (seen.some((m) => m.endsWith('/dist/board.mjs'))) loads.push('dist/board.mjs (ink, react)');
    const packages = new Set(seen.flatMap((m) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m)?.[1] ?? []));
    if (packages.size) loads.push(`node_modules: ${[...packages].sort().join(', ')}`);
    if (seen.includes('node:child_process')) loads.push('node:child_process');
    return loads;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting

/** Taken before the benchmark adds its own load: other work makes every figure noisier. */
const LOAD_AT_START = loadavg();

function machine() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGiB: +(freemem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${osName()} (${type()} ${release()})`,
    loadAverage: LOAD_AT_START.map((v) => +v.toFixed(2)),
    loadAverageAtEnd: loadavg().map((v) => +v.toFixed(2)),
  };
}

function osName() {
  try {
    return /^PRETTY_NAME="?(.*?)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? type();
  } catch {
    return type();
  }
}

const mib = (kib) => kib / 1024;

function report(options, repos, measured, skipped) {
  const baseAll = stats(measured.baseline.filter((v) => v !== undefined));
  const rssMedian = (list) => {
    const ok = (list ?? []).filter((v) => v !== undefined);
    return ok.length ? stats(ok).median : undefined;
  };
  const baseRss = measured.rss ? rssMedian(measured.rss.baseline) : undefined;
  const medians = new Map(measured.cases.map((c) => [c.id, stats(c.samples.map((s) => s.ms)).median]));

  const cases = measured.cases.map((c) => {
    const s = stats(c.samples.map((x) => x.ms));
    // The baseline of the same rounds: what a case is compared with ran next to it.
    const base = stats(c.samples.map((x) => measured.baseline[x.round])).median;
    const ratio = s.median / base;
    const kib = measured.rss ? rssMedian(measured.rss.cases.get(c)) : undefined;
    const vsId = c.goal?.vs ?? c.goal?.plusNode ?? c.compare?.vs;
    const vs =
      vsId && medians.has(vsId)
        ? {
            case: vsId,
            label: label(measured.cases.find((x) => x.id === vsId)),
            ratio: +(s.median / medians.get(vsId)).toFixed(3),
          }
        : undefined;
    let pass;
    const plus = c.goal?.plusNode;
    if (c.goal?.within !== undefined) {
      // Within 0.05× of the same call: the median, over the rounds both ran in, of the round's
      // difference between the two as a ratio to that round's bare node. Paired by round, the
      // noise both share (a busy second, a slow round) cancels, which a difference of two
      // medians keeps.
      const other = measured.cases.find((x) => x.id === c.goal.vs);
      const otherMs = new Map((other?.samples ?? []).map((x) => [x.round, x.ms]));
      const diffs = c.samples
        .filter((x) => otherMs.has(x.round))
        .map((x) => (x.ms - otherMs.get(x.round)) / measured.baseline[x.round]);
      if (vs && diffs.length) vs.ratioDiff = +stats(diffs).median.toFixed(3);
      pass = vs?.ratioDiff === undefined ? undefined : vs.ratioDiff <= c.goal.within;
    } else if (plus) pass = medians.has(plus) ? s.median <= medians.get(plus) + base : undefined;
    else if (c.goal?.ratio !== undefined && !c.goal.vs) pass = ratio <= c.goal.ratio;
    else if (c.goal?.ms !== undefined) pass = s.median < c.goal.ms;
    else if (c.goal?.vs) pass = vs ? vs.ratio <= c.goal.ratio : undefined;
    const rssPass = c.rssGoalMB === undefined || kib === undefined ? undefined : (kib * 1024) / 1e6 < c.rssGoalMB;
    return {
      id: c.id,
      name: c.name,
      label: label(c),
      command: c.exec
        ? `${c.exec} ${c.args('N', repos[c.repo]).join(' ')}`
        : `hzl ${c.args('N', repos[c.repo]).join(' ')}`,
      repo: c.repo,
      note: c.caseNote ?? c.note,
      rounds: c.samples.length,
      ...round2(s),
      baselineMedianMs: +base.toFixed(2),
      ratio: +ratio.toFixed(3),
      ...(vs ? { vs } : {}),
      goal: c.goal ?? null,
      pass,
      ...(kib !== undefined
        ? { peakRssKiB: kib, peakRssRatio: baseRss ? +(kib / baseRss).toFixed(2) : undefined }
        : {}),
      rssGoalMB: c.rssGoalMB ?? null,
      loads: c.loads,
      rssPass,
      samples: c.samples.map((x) => +x.ms.toFixed(2)),
    };
  });
  const missed = [
    ...cases.filter((c) => c.pass === false).map((c) => c.label),
    ...cases.filter((c) => c.rssPass === false).map((c) => `${c.label} (memory)`),
  ];
  return {
    schemaVersion: 2,
    kind: 'hzl-bench',
    date: new Date().toISOString(),
    elapsedSeconds: Math.round((Date.now() - STARTED) / 1000),
    machine: machine(),
    rounds: options.rounds,
    warmup: options.warmup,
    only: options.only,
    repos: Object.fromEntries(
      Object.values(repos).map((r) => [
        r.name,
        {
          label: r.label,
          tasks: r.tasks,
          branches: r.branches ?? 0,
          rounds: roundsOf(r.name, options.rounds),
          buildSeconds: r.buildSeconds,
          claimTask: r.claimId,
          nextTask: r.nextPath ? r.nextPath.slice(r.dir.length + 1) : null,
          formatDrift: r.formatDrift ?? null,
        },
      ]),
    ),
    baseline: {
      name: 'node -e 0',
      ...round2(baseAll),
      ...(baseRss !== undefined ? { peakRssKiB: baseRss } : {}),
      samples: measured.baseline.filter((v) => v !== undefined).map((v) => +v.toFixed(2)),
    },
    cases,
    skipped,
    missed,
  };
}

/** `task list` on the large repository in every state, side by side: warm, files changed, cold, another worktree. */
function listingStates(result) {
  const byId = new Map(result.cases.map((c) => [c.id, c]));
  const states = [
    ['warm', 'list@large'],
    ['1 file changed', 'list-stale@large'],
    ['a tenth changed', 'list-checkout@large'],
    ['no cache', 'list-cold@large'],
    ['second worktree', 'list-worktree@large'],
  ].filter(([, id]) => byId.has(id));
  if (!states.length) return [];
  const cells = states.map(
    ([name, id]) => `${name} ${byId.get(id).ratio.toFixed(2)}× (${byId.get(id).medianMs.toFixed(0)} ms)`,
  );
  return [`task list [${REPOS.large.label}], × node: ${cells.join(' | ')}`];
}

function round2(s) {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [`${k}Ms`, +v.toFixed(2)]));
}

function goalText(c) {
  const parts = [];
  if (c.goal?.within !== undefined) parts.push(`≤ ${c.goal.vs} + ${c.goal.within}×`);
  else if (c.goal?.plusNode) parts.push(`≤ ${c.goal.plusNode} + node`);
  else if (c.goal?.vs) parts.push(`≤ ${c.goal.ratio.toFixed(1)}× ${c.goal.vs}`);
  else if (c.goal?.ratio !== undefined) parts.push(`≤ ${c.goal.ratio.toFixed(1)}×`);
  else if (c.goal?.ms !== undefined) parts.push(`< ${c.goal.ms} ms`);
  if (c.rssGoalMB) parts.push(`< ${c.rssGoalMB} MB`);
  return parts.join(', ');
}

function resultText(c) {
  const diff = c.vs?.ratioDiff;
  const vs = c.vs
    ? diff !== undefined
      ? `${diff >= 0 ? '+' : ''}${diff.toFixed(2)}× vs ${c.vs.case}`
      : `${c.vs.ratio.toFixed(2)}× ${c.vs.case}`
    : '';
  const needed = c.goal?.vs ?? c.goal?.plusNode;
  if (c.pass === undefined && c.rssPass === undefined) return needed ? `n/a: ${needed} not run` : vs;
  const missed = [c.pass === false ? 'time' : '', c.rssPass === false ? 'memory' : ''].filter(Boolean);
  const verdict = missed.length ? `MISSED (${missed.join(', ')})` : 'pass';
  return vs ? `${verdict}: ${vs}` : verdict;
}

function printTable(result) {
  const m = result.machine;
  const out = [];
  out.push(
    `hzl bench: ${result.rounds} interleaved rounds (+${result.warmup} warm-up), medians; ` +
      `${m.node}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}`,
  );
  const busy = m.loadAverage[0] >= m.cpus;
  const busyNote = busy ? ` — the machine is busy (${m.cpus} CPUs): expect noisy figures` : '';
  out.push(`load average at start: ${m.loadAverage.join(', ')}; at end: ${m.loadAverageAtEnd.join(', ')}${busyNote}`);
  if (result.only.length) out.push(`only the cases matching: ${result.only.map((o) => `'${o}'`).join(', ')}`);
  for (const r of Object.values(result.repos)) {
    const fewer =
      r.rounds < result.rounds
        ? `; its cases run in ${r.rounds} of the ${result.rounds} rounds, spread evenly (to keep the run short)`
        : '';
    const next = r.nextTask ? `, claim --next takes ${r.nextTask.replace(/^.*\//, '')}` : '';
    out.push(`repo ${r.label}: built in ${r.buildSeconds} s; claim target #${r.claimTask}${next}${fewer}`);
  }
  out.push('');
  const header = ['case', 'median ms', 'p25–p75 ms', '× node', 'peak RSS', 'goal', 'result'];
  const rows = [];
  const b = result.baseline;
  const rssCell = (kib) => (kib === undefined ? '' : `${mib(kib).toFixed(1)} MiB`);
  rows.push([
    b.name,
    b.medianMs.toFixed(1),
    `${b.p25Ms.toFixed(1)}–${b.p75Ms.toFixed(1)}`,
    '1.00×',
    rssCell(b.peakRssKiB),
    '',
    'baseline',
  ]);
  let repo;
  for (const c of result.cases) {
    if (c.repo !== repo) {
      repo = c.repo;
      const r = result.repos[repo];
      rows.push(null, [`${r.label}${r.rounds < result.rounds ? ` (${r.rounds} rounds)` : ''}`]);
    }
    rows.push([
      `  ${c.name} (${c.id})`,
      c.medianMs.toFixed(1),
      `${c.p25Ms.toFixed(1)}–${c.p75Ms.toFixed(1)}`,
      `${c.ratio.toFixed(2)}×`,
      rssCell(c.peakRssKiB),
      goalText(c),
      resultText(c),
    ]);
  }
  const full = rows.filter((r) => r && r.length > 1);
  const widths = header.map((h, i) => Math.max(h.length, ...full.map((r) => r[i].length)));
  const line = (r) =>
    r
      .map((cell, i) => (i === 0 || i >= 5 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  out.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out.push(r === null ? '' : r.length === 1 ? r[0] : line(r));
  for (const s of result.skipped) out.push(`  ${s.label}: skipped — ${s.reason}`);
  out.push('', ...listingStates(result));
  out.push('');
  out.push(
    result.baseline.peakRssKiB !== undefined
      ? `peak RSS: median of ${RSS_RUNS} runs of each case under ${TIME} -f %M (separate from the timed runs)`
      : `peak RSS: skipped (${TIME} not found)`,
  );
  out.push('what each command loads besides Node and dist/main.js (traced once, in the first repository it runs in):');
  const loadsByName = new Map();
  for (const c of result.cases) if (!loadsByName.has(c.name)) loadsByName.set(c.name, c.loads);
  for (const [name, loads] of loadsByName) out.push(`  ${name}: ${loads.length ? loads.join('; ') : 'nothing'}`);
  out.push('');
  out.push(
    "listings (list, --available, claim --next, board, show's subtasks) and search run with warm caches: " +
      'after the cases that change files, they are refreshed untimed at the end of each round',
  );
  const notes = new Map();
  for (const c of result.cases) if (!notes.has(c.note)) notes.set(c.note, c.name);
  for (const [note, name] of notes) out.push(`  ${name}: ${note}`);
  out.push('');
  const t = result.tokens.mcpToolsList;
  out.push(
    `MCP tools/list: ${t.tools} tools, ${t.tokens} tokens (gpt-tokenizer, o200k_base); ` +
      `goal < ${t.goal}: ${t.tokens < t.goal ? 'met' : 'MISSED'}`,
  );
  out.push('');
  out.push(`took ${result.elapsedSeconds} s`);
  out.push(result.missed.length ? `GOALS MISSED: ${result.missed.join('; ')}` : 'all goals met');
  process.stdout.write(`${out.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Main

function buildRepo(name, repos, made) {
  const spec = REPOS[name];
  say(`bench: building the ${spec.label} repository…`);
  const start = Date.now();
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `hzl-bench-${name}-`)));
  made.push(dir);
  const source = spec.copyOf && repos[spec.copyOf];
  let repo;
  if (source) {
    rmSync(dir, { recursive: true });
    copyRepo(source.dir, dir);
    const { dir: _d, ...same } = source;
    repo = { ...same, dir };
    for (const k of ['claimPath', 'task1Path']) repo[k] = join(dir, source[k].slice(source.dir.length + 1));
  } else {
    repo = { dir, ...makeRepo(dir, spec.tasks) };
    repo.task1Path = join(dir, '.hzl', 'tasks', '1-implement-user-authentication.md');
    repo.task1Text = readFileSync(repo.task1Path, 'utf8');
  }
  Object.assign(repo, { name, label: spec.label, branches: spec.branches ?? 0 });
  repo.tasksDir = join(dir, '.hzl', 'tasks');
  repo.stateDir = join(dir, '.git', 'hzl');
  repo.counterPath = join(repo.stateDir, 'last-id');
  repo.counterText = readFileSync(repo.counterPath, 'utf8');
  if (spec.branches) Object.assign(repo, addBranches(dir, spec.tasks, spec.branches), { newBranches: 0 });
  repo.buildSeconds = +((Date.now() - start) / 1000).toFixed(1);
  if (repo.formatDrift && !source)
    say(
      `bench: warning: generated task files differ from what hzl writes (${repo.formatDrift}); ` +
        'update taskFile() in tests/bench/repo.mjs',
    );
  return repo;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  let cases = allCases();
  if (options.list) {
    for (const c of cases) process.stdout.write(`${c.id.padEnd(28)} ${label(c)}\n`);
    return;
  }
  if (options.only.length) {
    cases = cases.filter((c) => options.only.some((o) => `${c.id} ${label(c)}`.toLowerCase().includes(o)));
    if (!cases.length) fail(`no case matches --only ${options.only.join(', ')} (--list shows them)`);
  }
  if (!existsSync(resolve(ROOT, 'dist', 'main.js')))
    fail("dist/main.js is missing: run 'npm run build' (or use 'npm run bench')");
  const skipped = [];
  cases = cases.filter((c) => {
    const reason = c.skip?.();
    if (reason) {
      skipped.push({ id: c.id, label: label(c), reason });
      say(`bench: skipping ${label(c)}: ${reason}`);
    }
    return !reason;
  });
  const repos = {};
  const made = [];
  const daemons = [];
  try {
    const needed = new Set(cases.map((c) => c.repo));
    for (const name of Object.keys(REPOS)) if (needed.has(name)) repos[name] = buildRepo(name, repos, made);
    for (const name of needed) if (REPOS[name].remote) daemons.push(await startRemote(repos[name]));
    for (const c of cases) c.setup?.(repos[c.repo]);
    for (const repo of Object.values(repos)) if (repo.otherDir) made.push(repo.otherDir);
    for (const name of needed) refreshIndex(repos[name]);
    const measured = measure(options, repos, cases);
    const result = { ...report(options, repos, measured, skipped), tokens: await tokenFigures(ROOT) };
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else printTable(result);
  } finally {
    for (const stop of daemons) await stop();
    for (const dir of made) {
      if (options.keep) say(`bench: kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
