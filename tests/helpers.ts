// Test helpers: a real git repository per test and the built CLI, run as a child process or,
// in files that call runInProcess(), in a worker thread through the same entry point.

import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import { runInWorker } from './in-process.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const HZL = resolve(ROOT, 'bin', 'hzl.js');

const made: string[] = [];
afterEach(() => {
  while (made.length) rmSync(made.pop()!, { recursive: true, force: true });
});

/** A clean environment: no user git config, no HZL_* from the caller, a fixed time zone. */
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('HZL_') && !k.startsWith('GIT_')) env[k] = v;
  }
  return {
    ...env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    TZ: 'UTC',
    NO_COLOR: '1',
    ...extra,
  };
}

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, env: baseEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A real git repo: branch main, a local user, LF, no signing, no auto gc, one empty commit. */
export function tempRepo(options: { init?: boolean; user?: boolean } = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'hzl-test-')));
  made.push(dir);
  cpSync(template(options.user !== false, options.init !== false), dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

// Each kind of repo is made once per test file and copied for each test: a copy takes a
// millisecond, making one takes seven git calls and `hzl init`.
const templates = new Map<string, string>();
afterAll(() => {
  for (const dir of templates.values()) rmSync(dir, { recursive: true, force: true });
  templates.clear();
});

function template(user: boolean, init: boolean): string {
  const key = `${user}/${init}`;
  let dir = templates.get(key);
  if (!dir) {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'hzl-template-')));
    makeRepo(dir, { user, init });
    templates.set(key, dir);
  }
  return dir;
}

function makeRepo(dir: string, options: { user: boolean; init: boolean }): void {
  git(dir, 'init', '-q', '-b', 'main');
  if (options.user) {
    git(dir, 'config', 'user.name', 'Test User');
    git(dir, 'config', 'user.email', 'test@example.com');
  }
  git(dir, 'config', 'commit.gpgsign', 'false');
  git(dir, 'config', 'core.autocrlf', 'false');
  git(dir, 'config', 'gc.auto', '0');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', 'initial');
  if (options.init) {
    const r = hzlProcess(dir, ['init']);
    if (r.status !== 0) throw new Error(`hzl init failed: ${r.stderr}`);
  }
}

export function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'hzl-test-')));
  made.push(dir);
  return dir;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
}

let inProcess = false;

/**
 * From here on in this test file, hzl() runs in-process (argv, store, files and git are all
 * real; only node's start-up is skipped). Files that test the process itself do not call it.
 */
export function runInProcess(): void {
  inProcess = true;
}

export function hzl(cwd: string, args: string[], options: RunOptions = {}): Run {
  const env = baseEnv(options.env);
  if (!inProcess || needsProcess(env)) return hzlProcess(cwd, args, options);
  return hzlInProcess(cwd, args, options);
}

/** The built CLI in-process, whatever the file chose. */
export function hzlInProcess(cwd: string, args: string[], options: RunOptions = {}): Run {
  return runInWorker(ROOT, { cwd, args, env: baseEnv(options.env), input: options.input ?? '' });
}

/**
 * What only a process of its own can have: a time zone (Node fixes it per thread at start-up)
 * and the lock-stepping test knob (read once per process, at load).
 */
function needsProcess(env: NodeJS.ProcessEnv): boolean {
  return env.TZ !== process.env.TZ || env.HZL_TEST_LOCK_STEPS !== undefined;
}

/** The built CLI as a child process, whatever the file chose. */
export function hzlProcess(cwd: string, args: string[], options: RunOptions = {}): Run {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [HZL, ...args], {
    cwd,
    env: baseEnv(options.env),
    input: options.input ?? '',
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts hzl without waiting: for races between processes. */
export function hzlAsync(cwd: string, args: string[], options: RunOptions = {}): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [HZL, ...args], { cwd, env: baseEnv(options.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.stdin.end(options.input ?? '');
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

export function taskFile(repo: string, id: number): string {
  const dir = join(repo, '.hzl', 'tasks');
  const name = readdirSync(dir).find((n) => n.startsWith(`${id}-`) || n === `${id}.md`);
  if (!name) throw new Error(`no file for task ${id}`);
  return join(dir, name);
}

export function readTask(repo: string, id: number): string {
  return readFileSync(taskFile(repo, id), 'utf8');
}

/** Every file under .hzl/tasks with its content: to prove that a failed command wrote nothing. */
export function snapshot(repo: string): Record<string, string> {
  const dir = join(repo, '.hzl', 'tasks');
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    try {
      out[name] = readFileSync(join(dir, name), 'utf8');
    } catch {
      out[name] = '<unreadable>';
    }
  }
  return out;
}

/** A new repository with #1 Parent, #2 Child (of #1) and #3 Loner, each added by `run`. */
export function family(run: (repo: string, args: string[]) => unknown): string {
  const repo = tempRepo();
  run(repo, ['task', 'add', 'Parent']);
  run(repo, ['task', 'add', 'Child', '--parent', '1']);
  run(repo, ['task', 'add', 'Loner']);
  return repo;
}

/** The commands a message quotes as `'hzl …'`, in order. */
export function quotedHzl(text: string): string[] {
  return [...text.matchAll(/'(hzl [^']*)'/g)].map((m) => m[1]!);
}
