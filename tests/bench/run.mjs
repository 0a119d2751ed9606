// `npm run bench` (SPEC §11): the wall time of hzl commands as ratios to a bare `node -e 0`
// measured in the same run. A report, not a test: it exits 0 when a goal is missed, and 1 only
// when the benchmark itself cannot run (no build, a command that fails).
//
//   node tests/bench/run.mjs [--rounds N] [--warmup N] [--json] [--keep]
//
// Rounds are interleaved: each round runs the baseline, then every case once, so that machine
// noise (other processes, CPU frequency, page cache) hits all of them alike. Figures are medians.
// Repositories and cases are tables: a later size (1,000 or 10,000 tasks) is one line in REPOS,
// a later command one entry in CASES.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT, HZL, cleanEnv, makeRepo, run } from './repo.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TIME = '/usr/bin/time';
const RSS_RUNS = 5;

// ---------------------------------------------------------------------------------------------
// What is measured

/** Repositories by name: how many tasks each holds. */
const REPOS = {
  small: { tasks: 50 },
  // medium: { tasks: 1_000 },
  // large: { tasks: 10_000 },
};

/**
 * Each case runs `node bin/hzl.js ...args` in its repository once a round. `args` may depend on
 * the round; `before` runs untimed just before (to put the repository in the state the case
 * needs); `goal` is the largest acceptable ratio to the baseline median; `rss` also measures the
 * peak resident set size with /usr/bin/time.
 */
const CASES = [
  {
    name: 'task show',
    repo: 'small',
    args: () => ['task', 'show', '1'],
    goal: 1.3,
    rss: true,
    note: 'task #1: in_progress, description, growing list of checkpoints',
  },
  {
    name: 'task checkpoint',
    repo: 'small',
    args: (round) => ['task', 'checkpoint', '1', `Round ${round}: wired the session store into the login handler`],
    goal: 1.4,
    note: `appends to task #1, written by its holder (HZL_AUTHOR=${AGENT}), so the lease is extended too`,
  },
  {
    name: 'task claim',
    repo: 'small',
    args: (_round, repo) => ['task', 'claim', String(repo.claimId), '--author', AGENT],
    before: (repo) => writeFileSync(repo.claimPath, repo.claimText),
    goal: 1.4,
    note: 'a fresh claim each round (ready → in_progress: status, author, lease, History line); ' +
      'the task file is put back to its ready bytes, untimed, before each round',
  },
];

// ---------------------------------------------------------------------------------------------
// Command line

function parseOptions(argv) {
  const options = { rounds: 30, warmup: 2, json: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const count = () => {
      const value = inline ?? argv[++i];
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) fail(`${flag} needs a whole number, got '${value ?? ''}'`);
      return n;
    };
    if (flag === '--rounds') options.rounds = count();
    else if (flag === '--warmup') options.warmup = count();
    else if (arg === '--json') options.json = true;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write('usage: node tests/bench/run.mjs [--rounds N (30)] [--warmup N (2)] [--json] [--keep]\n');
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
  const r = spawnSync(TIME, ['-f', '%M', command, ...args], { cwd, env: RUN_ENV, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  return r.status === 0 && /^\d+$/.test(last) ? Number(last) : undefined;
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

function measure(options, repos) {
  const baseline = { name: 'node -e 0', command: ['-e', '0'], samples: [] };
  const cases = CASES.map((c) => ({ ...c, samples: [] }));
  const total = options.warmup + options.rounds;
  for (let round = 1; round <= total; round++) {
    const warm = round <= options.warmup;
    process.stderr.write(`\r${warm ? 'warm-up' : 'round'} ${warm ? round : round - options.warmup}/${warm ? options.warmup : options.rounds}   `);
    progressLine = true;
    const b = timed(process.execPath, baseline.command, ROOT);
    if (b.status !== 0) throw new Error(`node -e 0 failed (${b.status ?? b.signal ?? b.error})`);
    if (!warm) baseline.samples.push(b.ms);
    for (const c of cases) {
      const repo = repos[c.repo];
      c.before?.(repo);
      const args = [HZL, ...c.args(round, repo)];
      if (warm) {
        run(process.execPath, args, { cwd: repo.dir, env: RUN_ENV }); // output kept: a failure says why
        continue;
      }
      const t = timed(process.execPath, args, repo.dir);
      if (t.status !== 0) {
        throw new Error(`'hzl ${args.slice(1).join(' ')}' failed in round ${round - options.warmup} (exit ${t.status ?? t.signal ?? t.error}); --keep keeps the repository to look into`);
      }
      c.samples.push(t.ms);
    }
  }
  process.stderr.write('\n');
  progressLine = false;

  // Peak memory: separately, since /usr/bin/time is one more process in the way of the timing.
  let rss;
  if (existsSync(TIME) && peakRss(process.execPath, ['-e', '0'], ROOT) !== undefined) {
    rss = { baseline: [], cases: new Map(cases.filter((c) => c.rss).map((c) => [c, []])) };
    for (let i = 0; i < RSS_RUNS; i++) {
      rss.baseline.push(peakRss(process.execPath, ['-e', '0'], ROOT));
      for (const [c, kib] of rss.cases) {
        c.before?.(repos[c.repo]);
        kib.push(peakRss(process.execPath, [HZL, ...c.args(total + i, repos[c.repo])], repos[c.repo].dir));
      }
    }
  }
  return { baseline, cases, rss };
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
  };
}

function osName() {
  try {
    return /^PRETTY_NAME="?(.*?)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? type();
  } catch {
    return type();
  }
}

function report(options, repos, measured) {
  const base = stats(measured.baseline.samples);
  const rssOf = (list) => {
    const ok = list.filter((v) => v !== undefined);
    return ok.length ? stats(ok).median : undefined;
  };
  const baseRss = measured.rss ? rssOf(measured.rss.baseline) : undefined;
  const cases = measured.cases.map((c) => {
    const s = stats(c.samples);
    const ratio = s.median / base.median;
    const kib = measured.rss?.cases.has(c) ? rssOf(measured.rss.cases.get(c)) : undefined;
    return {
      name: c.name,
      command: `hzl ${c.args('N', repos[c.repo]).join(' ')}`,
      repo: { name: c.repo, tasks: repos[c.repo].tasks },
      note: c.note,
      ...round2(s),
      ratio: +ratio.toFixed(3),
      goal: c.goal,
      pass: c.goal === undefined ? undefined : ratio <= c.goal,
      ...(kib !== undefined ? { peakRssKiB: kib, peakRssRatio: baseRss ? +(kib / baseRss).toFixed(2) : undefined } : {}),
      samples: c.samples.map((v) => +v.toFixed(2)),
    };
  });
  return {
    schemaVersion: 1,
    kind: 'hzl-bench',
    date: new Date().toISOString(),
    machine: machine(),
    rounds: options.rounds,
    warmup: options.warmup,
    repos: Object.fromEntries(Object.values(repos).map((r) => [r.name, { tasks: r.tasks, claimTask: r.claimId, formatDrift: r.formatDrift ?? null }])),
    baseline: {
      name: 'node -e 0',
      ...round2(base),
      ...(baseRss !== undefined ? { peakRssKiB: baseRss } : {}),
      samples: measured.baseline.samples.map((v) => +v.toFixed(2)),
    },
    cases,
    missed: cases.filter((c) => c.pass === false).map((c) => c.name),
  };
}

function round2(s) {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [`${k}Ms`, +v.toFixed(2)]));
}

function printTable(result) {
  const m = result.machine;
  const out = [];
  out.push(`hzl bench: ${result.rounds} interleaved rounds (+${result.warmup} warm-up), medians; ${m.node}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}`);
  const busy = m.loadAverage[0] >= m.cpus;
  out.push(`load average at start: ${m.loadAverage.join(', ')}${busy ? ` — the machine is busy (${m.cpus} CPUs): expect noisy figures` : ''}`);
  for (const [name, r] of Object.entries(result.repos)) out.push(`repo '${name}': ${r.tasks} tasks; claim target #${r.claimTask}`);
  out.push('');
  const rows = [['case', 'median ms', 'p25–p75 ms', 'ratio', 'goal', 'result']];
  const b = result.baseline;
  rows.push([b.name, b.medianMs.toFixed(1), `${b.p25Ms.toFixed(1)}–${b.p75Ms.toFixed(1)}`, '1.00×', '', 'baseline']);
  for (const c of result.cases) {
    rows.push([
      `${c.name} (${c.repo.tasks})`,
      c.medianMs.toFixed(1),
      `${c.p25Ms.toFixed(1)}–${c.p75Ms.toFixed(1)}`,
      `${c.ratio.toFixed(2)}×`,
      c.goal === undefined ? '' : `≤ ${c.goal.toFixed(1)}×`,
      c.pass === undefined ? '' : c.pass ? 'pass' : 'MISSED',
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [n, r] of rows.entries()) {
    out.push(r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd());
    if (n === 0) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  out.push('');
  const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
  const withRss = result.cases.filter((c) => c.peakRssKiB !== undefined);
  if (withRss.length && result.baseline.peakRssKiB !== undefined) {
    const parts = withRss.map((c) => `${c.name} ${mib(c.peakRssKiB)} (${c.peakRssRatio.toFixed(2)}×)`);
    out.push(`peak RSS, median of ${RSS_RUNS} (/usr/bin/time %M): node -e 0 ${mib(result.baseline.peakRssKiB)}; ${parts.join('; ')}`);
  } else out.push(`peak RSS: skipped (${TIME} not found)`);
  for (const c of result.cases) out.push(`  ${c.name}: ${c.note}`);
  out.push('');
  out.push(result.missed.length ? `GOALS MISSED: ${result.missed.join(', ')}` : 'all goals met');
  process.stdout.write(`${out.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(resolve(ROOT, 'dist', 'main.js'))) fail("dist/main.js is missing: run 'npm run build' (or use 'npm run bench')");
  const repos = {};
  const made = [];
  try {
    for (const [name, { tasks }] of Object.entries(REPOS)) {
      say(`bench: building a ${tasks}-task repository…`);
      const dir = realpathSync(mkdtempSync(join(tmpdir(), `hzl-bench-${name}-`)));
      made.push(dir);
      repos[name] = { name, ...makeRepo(dir, tasks) };
      const drift = repos[name].formatDrift;
      if (drift) say(`bench: warning: generated task files differ from what hzl writes (${drift}); update taskFile() in tests/bench/repo.mjs`);
    }
    const measured = measure(options, repos);
    const result = report(options, repos, measured);
    if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else printTable(result);
  } finally {
    for (const dir of made) {
      if (options.keep) say(`bench: kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
