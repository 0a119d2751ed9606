// Helpers for tests across clones: a bare remote, fresh clones of it, and `git daemon` on 127.0.0.1
// (started and stopped by the test, on a free port, pushes allowed).

import { spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { HZL, baseEnv, git, hzl, tempDir, tempRepo } from './helpers.js';

/** A bare repository that `first` pushes main to. */
export function bareRemote(first: string): string {
  const bare = join(tempDir(), 'remote.git');
  git(first, 'init', '-q', '--bare', '-b', 'main', bare);
  git(first, 'remote', 'add', 'origin', bare);
  git(first, 'add', '-A');
  git(first, 'commit', '-q', '-m', 'hzl init', '--allow-empty');
  git(first, 'push', '-q', '-u', 'origin', 'main');
  return bare;
}

/** A fresh `git clone`, set up as tempRepo sets up a repository, but without any hzl command. */
export function cloneOf(url: string): string {
  const dir = join(tempDir(), 'clone');
  git(tempDir(), 'clone', '-q', url, dir);
  for (const [k, v] of [
    ['user.name', 'Test User'],
    ['user.email', 'test@example.com'],
    ['commit.gpgsign', 'false'],
    ['pull.rebase', 'false'],
  ]) {
    git(dir, 'config', k!, v!);
  }
  return dir;
}

export function commitAll(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

export interface Daemon {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  await new Promise((done) => server.close(done));
  return port;
}

const daemons: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (daemons.length) await daemons.pop()!();
});

/** `git daemon` serving the folder of `bare` on 127.0.0.1, pushes allowed; ready when it says so. */
export async function startDaemon(bare: string): Promise<Daemon> {
  const base = dirname(bare);
  const port = await freePort();
  const args = [
    'daemon',
    '--reuseaddr',
    '--verbose',
    '--export-all',
    '--enable=receive-pack',
    `--base-path=${base}`,
    '--listen=127.0.0.1',
    `--port=${port}`,
    base,
  ];
  const child = spawn('git', args, { env: baseEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((ready, fail) => {
    let said = '';
    child.stderr.on('data', (d) => {
      said += d;
      if (said.includes('Ready to rumble')) ready();
    });
    child.on('exit', (code) => fail(new Error(`git daemon exited (${code}): ${said}`)));
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.on('exit', () => done());
      child.kill('SIGTERM');
    });
  daemons.push(stop);
  return { url: `git://127.0.0.1:${port}/${basename(bare)}`, stop };
}

/** A first repository with `remote: origin`, pushed to a bare remote, and `n` clones of it reached by `url`. */
export async function team(n: number, over: 'path' | 'daemon' = 'path') {
  const first = tempRepo();
  const bare = bareRemote(first);
  const init = hzl(first, ['init', '--remote', 'origin']);
  expect(init.status, init.stderr).toBe(0);
  commitAll(first, 'coordinate through origin');
  git(first, 'push', '-q', 'origin', 'main');
  const daemon = over === 'daemon' ? await startDaemon(bare) : undefined;
  const url = daemon?.url ?? bare;
  if (daemon) git(first, 'remote', 'set-url', 'origin', url);
  const clones = Array.from({ length: n }, () => cloneOf(url));
  return { first, bare, clones, daemon };
}

/** stderr without the one note a fresh clone's first command prints (the merge driver). */
export const errors = (stderr: string) => stderr.replace(/^hzl: note: registered the hzl merge driver.*\n/m, '');

export const remoteRefs = (bare: string, pattern: string) =>
  git(bare, 'for-each-ref', '--format=%(refname)', pattern).split('\n').filter(Boolean);

/** A hzl process started in the background: its pid, its exit, and whether it is gone. */
export function started(cwd: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [HZL, ...args], { cwd, env: baseEnv(env), stdio: 'ignore' });
  let gone = false;
  const exit = new Promise<number | null>((done) => child.on('close', done));
  void exit.then(() => (gone = true));
  return { pid: child.pid!, exit, gone: () => gone };
}

/** Lets each lock step at which `pid` stopped go on, but those `hold` keeps (src/store/lock-steps.ts). */
export function letGo(folder: string, pid: number, hold: (file: string) => boolean = () => false): string[] {
  const files = readdirSync(folder).filter((f) => f.startsWith(`${pid}.`));
  for (const f of files) {
    const [, n, step] = f.split('.');
    if (step !== 'go' && step !== 'waiting' && !hold(f) && !files.includes(`${pid}.${n}.go`))
      writeFileSync(join(folder, `${pid}.${n}.go`), '');
  }
  return files;
}

/** One turn of the event loop: what a test waits in between looking at the steps again. */
export const tick = () => new Promise((done) => setImmediate(done));
