// Refs under refs/hzl/ on the shared remote, changed only by compare-and-swap: a push with
// `--force-with-lease=<ref>:<expected>` succeeds only while the remote ref still holds
// <expected> (nothing, for a ref that must not exist yet), checked by the remote under its ref
// lock. Each ref points at a commit of the empty tree whose message is the record (who, when,
// which clone). Synchronous: reservations happen while hzl holds a local lock.

import { GitError } from '../core/errors.js';
import { visible } from '../core/printable.js';
import { isStamp } from '../core/time.js';
import { pushRoute } from './push-route.js';
import { EMPTY_TREE, recordText, writeCommitObject } from './record-object.js';
import {
  type PushOutcome,
  PushError,
  type RefUpdate,
  daemonChannel,
  firstLine,
  localChannel,
  sendPack,
} from './send-pack.js';

/** Records are commits: git wants an identity, and a clone may have none configured. */
const RECORD_IDENTITY = {
  GIT_AUTHOR_NAME: 'hzl',
  GIT_AUTHOR_EMAIL: 'hzl@localhost',
  GIT_COMMITTER_NAME: 'hzl',
  GIT_COMMITTER_EMAIL: 'hzl@localhost',
};

export interface RemoteRecord {
  oid: string;
  fields: Record<string, string>;
}

export type SwapResult = 'done' | 'lost';

export class RemoteRefs {
  /** The text of each record written by this object, by oid: what a push of it made here sends. */
  private readonly written = new Map<string, string>();

  constructor(
    readonly remote: string,
    private readonly cwd: string,
    readonly env: NodeJS.ProcessEnv,
    /** The clone's git common dir: records are written there without running git, when it can. */
    private readonly commonDir?: string,
  ) {}

  /** A new record commit holding `fields`, one `key: value` line each. */
  record(title: string, fields: Record<string, string>): string {
    const body = Object.entries(fields)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
    const text = recordText(`${title}\n\n${body}\n`, 'hzl <hzl@localhost>', Math.floor(Date.now() / 1000));
    const written = this.commonDir && writeCommitObject(this.commonDir, text, this.env);
    if (written) {
      this.written.set(written, text);
      return written;
    }
    const out = this.git(['commit-tree', EMPTY_TREE, '-m', title, '-m', body], { ...RECORD_IDENTITY });
    return out.trim();
  }

  /** Points `ref` at `oid` if the remote ref holds `expected` ('' = does not exist). */
  swap(ref: string, oid: string, expected: string): SwapResult {
    return this.push([`--force-with-lease=${ref}:${expected}`, `${oid}:${ref}`]);
  }

  /** Deletes `ref` if the remote ref holds `expected`. */
  drop(ref: string, expected: string): SwapResult {
    return this.push([`--force-with-lease=${ref}:${expected}`, `:${ref}`]);
  }

  /** Whether this repository has a remote of that name. */
  exists(): boolean {
    try {
      this.run(['remote', 'get-url', '--', this.remote], {});
      return true;
    } catch {
      return false;
    }
  }

  /** The remote's refs matching `pattern` (like refs/hzl/ids/*), by name: one round trip. */
  list(pattern: string): Map<string, string> {
    const out = this.network(['ls-remote', '--refs', this.remote, pattern]);
    const refs = new Map<string, string>();
    for (const line of out.split('\n')) {
      const [oid, name] = line.split('\t');
      if (oid && name) refs.set(name, oid);
    }
    return refs;
  }

  /**
   * The records under `prefix` (like refs/hzl/claims/), fetched into refs/hzl-remote/<remote>/
   * (pruned, so a dropped claim disappears), by their name below the prefix.
   */
  fetchRecords(prefix: string): Map<string, RemoteRecord> {
    const local = `refs/hzl-remote/${this.remote}/${prefix.slice('refs/hzl/'.length)}`;
    this.network([
      'fetch',
      '-q',
      '--prune',
      '--no-tags',
      '--no-write-fetch-head',
      this.remote,
      `+${prefix}*:${local}*`,
    ]);
    const out = this.git(['for-each-ref', '--format=%(objectname)%00%(refname)%00%(contents:body)%00', local], {});
    const records = new Map<string, RemoteRecord>();
    const parts = out.split('\0');
    for (let i = 0; i + 2 < parts.length; i += 3) {
      const oid = parts[i]!.trim();
      const name = parts[i + 1]!.slice(local.length);
      records.set(name, { oid, fields: parseFields(parts[i + 2]!) });
    }
    return records;
  }

  /**
   * `swap` started now and answered later: the push runs as a child process while the caller
   * does its local work. Rejects as `swap` throws (the remote cannot be reached or refused).
   */
  swapLater(ref: string, oid: string, expected: string): Promise<SwapResult> {
    const text = this.written.get(oid);
    const route = text === undefined || !this.commonDir ? undefined : pushRoute(this.remote, this.commonDir, this.env);
    if (!route || text === undefined) return this.gitPushLater(ref, oid, expected);
    const timeoutMs = pushTimeoutMs(this.env);
    const channel =
      route.kind === 'daemon'
        ? daemonChannel(route.host, route.port, route.path, route.hostHeader)
        : localChannel(route.path, this.cwd, { ...this.env, GIT_TERMINAL_PROMPT: '0' }, timeoutMs);
    const objects = [
      { type: 'commit' as const, body: Buffer.from(text, 'utf8') },
      { type: 'tree' as const, body: Buffer.alloc(0) }, // the empty tree: a new remote may not have it
    ];
    const update: RefUpdate = { ref, expected, to: oid };
    return sendPack(channel, update, objects, timeoutMs).then(
      (outcome: PushOutcome) => (outcome === 'unsupported' ? this.gitPushLater(ref, oid, expected) : outcome),
      (err: unknown) => {
        const e = err instanceof PushError ? err : new PushError(String(err));
        throw this.unreachable(e.timedOut ? silentPush(timeoutMs) : e.why, '');
      },
    );
  }

  /** `swapLater` by a `git push` child process. */
  private gitPushLater(ref: string, oid: string, expected: string): Promise<SwapResult> {
    const args = [
      'push',
      '--porcelain',
      '--no-verify',
      this.remote,
      `--force-with-lease=${ref}:${expected}`,
      `${oid}:${ref}`,
    ];
    const { spawn } = process.getBuiltinModule('node:child_process');
    const timeoutMs = pushTimeoutMs(this.env);
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, {
        cwd: this.cwd,
        env: { ...this.env, GIT_TERMINAL_PROMPT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', (err) => reject(this.unreachable(String(err), '')));
      child.on('close', (code, signal) => {
        if (signal === 'SIGKILL') return reject(this.unreachable(silentPush(timeoutMs), ''));
        try {
          resolve(code === 0 ? 'done' : this.judge(stdout, stderr || `git push exited with ${code}`));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  private push(args: string[]): SwapResult {
    const timeoutMs = pushTimeoutMs(this.env);
    try {
      this.run(['push', '--porcelain', '--no-verify', this.remote, ...args], {}, timeoutMs);
      return 'done';
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; code?: string };
      if (e.code === 'ETIMEDOUT') throw this.unreachable(silentPush(timeoutMs), '');
      return this.judge(e.stdout ?? '', e.stderr ?? String(err));
    }
  }

  /** A failed push's answer: a lost race, or an error (the remote is out of reach or refused). */
  private judge(stdout: string, stderr: string): SwapResult {
    // A ref the remote refused because it changed meanwhile: the swap was lost, not an error.
    if (/^!\t.*\t\[rejected\]/m.test(stdout)) return 'lost';
    // Another push holds the remote ref's lock at this moment: a race lost as well.
    if (/^!\t.*\t\[remote rejected\] \((failed to update ref|failed to lock|cannot lock ref)/m.test(stdout))
      return 'lost';
    throw this.unreachable(stderr, stdout);
  }

  /**
   * A read of the remote (fetch, ls-remote): stopped after a bounded time, since a remote that
   * accepts and then says nothing would hang every listing. Stopping a read loses nothing. Pushes
   * get longer (pushTimeoutMs), and their message says that one stopped midway may have landed.
   */
  private network(args: string[]): string {
    const timeoutMs = readTimeoutMs(this.env);
    try {
      return this.run(args, {}, timeoutMs);
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; code?: string };
      if (e.code === 'ETIMEDOUT') throw this.unreachable(`no answer in ${timeoutMs / 1000} s`, '');
      throw this.unreachable(e.stderr ?? String(err), '');
    }
  }

  private git(args: string[], env: NodeJS.ProcessEnv): string {
    try {
      return this.run(args, env);
    } catch (err) {
      const e = err as { stderr?: string };
      throw new GitError(`git ${args[0]} failed: ${firstLine(e.stderr ?? String(err))}`);
    }
  }

  private run(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): string {
    const { execFileSync } = process.getBuiltinModule('node:child_process'); // not at start-up: ~1.6 ms
    return execFileSync('git', args, {
      cwd: this.cwd,
      env: { ...this.env, ...env, GIT_TERMINAL_PROMPT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      ...(timeoutMs === undefined ? {} : { timeout: timeoutMs, killSignal: 'SIGKILL' as const }),
    });
  }

  private unreachable(stderr: string, stdout: string): GitError {
    const refused = /\[remote rejected\]\s*\(([^)]*)\)/.exec(stdout)?.[1];
    const why = refused ? `it refused the ref: ${refused}` : firstLine(stderr);
    return new GitError(
      `cannot coordinate through the remote '${this.remote}' (${why}); check the network and your access to it; ` +
        'nothing was written',
    );
  }
}

/** How long a read of the remote may take: 15 s, or HZL_REMOTE_TIMEOUT_MS. */
function readTimeoutMs(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.HZL_REMOTE_TIMEOUT_MS);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : 15_000;
}

/** A push gets four times as long as a read (60 s by default): it sends, and the remote writes. */
function pushTimeoutMs(env: NodeJS.ProcessEnv): number {
  return readTimeoutMs(env) * 4;
}

/** A push stopped midway may have landed: say so, and what settles it. */
function silentPush(timeoutMs: number): string {
  return `no answer in ${timeoutMs / 1000} s; the ref may have reached it: 'hzl sync' shows what it holds`;
}

/** Record fields of the field names hzl writes that end in these: times, kept only when they are stamps. */
const TIME_FIELD = /(^since|_until|^at)$/;

/**
 * A record's `key: value` lines. Any clone can push any record, so what is read is made safe
 * here, once, for every message and listing that shows it: a time that is no stamp is left out,
 * and a value holding control or bidi characters is kept in its escaped form (no real author or
 * clone name has them: hzl refuses them where names are typed).
 */
function parseFields(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of body.split('\n')) {
    const m = /^([a-z_]+): (.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (TIME_FIELD.test(key) && value !== '' && !isStamp(value)) continue;
    fields[key] = visible(value);
  }
  return fields;
}
