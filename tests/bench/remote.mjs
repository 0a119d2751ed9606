// The benchmark's remote cases: a claim and an add coordinated through a shared remote reached over
// a loopback `git daemon` (127.0.0.1, a free port, receive-pack enabled), started and stopped by
// the benchmark, compared with one bare `git push` of one ref to the same daemon in the same run.
// The goal: at most that push plus one bare `node -e 0` (docs/bench.md).

import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { HZL, cleanEnv, run } from './repo.mjs';

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const PUSH_REF = 'refs/hzl/bench/push';

/** The repository these cases run in (a line of REPOS). */
export const REMOTE_REPO = { tasks: 50, label: '50 tasks, remote over git daemon', remote: true };

const gitIn = (dir, ...args) => run('git', args, { cwd: dir, env: cleanEnv() }).stdout.trim();

/** Deletes a ref in the bare remote, untimed: the next run creates it again. */
const dropRef = (repo, ref) => gitIn(repo.bare, 'update-ref', '-d', ref);

/**
 * The cases. `exec` runs that program instead of node; `goal.plusNode` is met when the median is
 * at most the named case's median plus the baseline's (node -e 0) in the same rounds.
 */
export function remoteCommands({ agent, addTitle, undoAdd }) {
  const goal = { plusNode: 'push@remote' };
  return [
    {
      key: 'push',
      name: 'git push of one ref',
      in: ['remote'],
      exec: 'git',
      args: (_round, repo) => [
        'push',
        '--porcelain',
        '--no-verify',
        'origin',
        `--force-with-lease=${PUSH_REF}:`,
        `${repo.recordOid}:${PUSH_REF}`,
      ],
      after: (repo) => dropRef(repo, PUSH_REF),
      note:
        'what a remote claim or add cannot do without: one creation-only push (compare-and-swap) of a ' +
        'record commit to the loopback git daemon; the ref is deleted in the bare repository, untimed',
    },
    {
      key: 'claim',
      name: 'task claim, remote',
      in: ['remote'],
      args: (_round, repo) => ['task', 'claim', String(repo.claimId), '--author', agent],
      before: (repo) => writeFileSync(repo.claimPath, repo.claimText),
      after: (repo) => {
        writeFileSync(repo.claimPath, repo.claimText);
        dropRef(repo, `refs/hzl/claims/${repo.claimId}`);
        // What this clone remembers pushing goes too, as after a release: every round is a fresh claim.
        rmSync(join(repo.stateDir, 'remote-leases.json'), { force: true });
      },
      dirties: true,
      goal,
      note:
        'a fresh claim with `remote: origin`: the claim ref is created on the remote by compare-and-swap, ' +
        "while the file is read, and the file written once it answered; file, ref and the clone's memory of " +
        'pushing it are put back, untimed',
    },
    {
      key: 'add',
      name: 'task add, remote',
      in: ['remote'],
      args: () => ['task', 'add', addTitle],
      after: (repo) => {
        const id = Number(readFileSync(repo.counterPath, 'utf8').trim());
        undoAdd(repo);
        dropRef(repo, `refs/hzl/ids/${id}`);
      },
      goal,
      note:
        'a new task with `remote: origin`: its id reserved on the remote (a creation-only ref), then the file; ' +
        'file, counter and ref are put back, untimed',
    },
  ];
}

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

/**
 * A bare remote beside the repository, served by `git daemon` on 127.0.0.1, set as `origin` and
 * named by `remote: origin` in the config (committed). Its log goes to a file: the benchmark runs
 * its commands synchronously and could not drain a pipe. Returns a function that stops it.
 */
export async function startRemote(repo) {
  const base = join(repo.dir, '..', `${repo.name}-remote`);
  repo.bare = join(base, 'remote.git');
  run('git', ['init', '-q', '--bare', '-b', 'main', repo.bare], { cwd: repo.dir, env: cleanEnv() });
  const port = await freePort();
  const logFile = join(base, 'daemon.log');
  const log = openSync(logFile, 'w');
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
  const daemon = spawn('git', args, { env: cleanEnv(), stdio: ['ignore', 'ignore', log] });
  closeSync(log);
  const exited = new Promise((done) => daemon.on('exit', done));
  const stop = async () => {
    if (daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGTERM');
    await exited;
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await ready(logFile, daemon);
    gitIn(repo.dir, 'remote', 'add', 'origin', `git://127.0.0.1:${port}/remote.git`);
    gitIn(repo.dir, 'push', '-q', 'origin', 'main');
    run(process.execPath, [HZL, 'init', '--remote', 'origin'], { cwd: repo.dir, env: cleanEnv() });
    gitIn(repo.dir, 'add', '-A');
    gitIn(repo.dir, 'commit', '-q', '-m', 'coordinate through origin');
    repo.recordOid = gitIn(
      repo.dir,
      '-c',
      'user.name=hzl',
      '-c',
      'user.email=hzl@localhost',
      'commit-tree',
      EMPTY_TREE,
      '-m',
      'bench push',
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return stop;
}

/** Waits for the daemon's "Ready to rumble" in its log (or its exit). */
async function ready(logFile, daemon) {
  const started = Date.now();
  for (;;) {
    if (existsSync(logFile) && readFileSync(logFile, 'utf8').includes('Ready to rumble')) return;
    if (daemon.exitCode !== null)
      throw new Error(`git daemon exited (${daemon.exitCode}): ${readFileSync(logFile, 'utf8')}`);
    if (Date.now() - started > 30_000) throw new Error('git daemon did not start within 30 s');
    await new Promise((tick) => setTimeout(tick, 20));
  }
}
