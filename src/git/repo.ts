// Running git: simple-git for ordinary calls, one `git cat-file --batch` process for reading many
// objects at once. Every failure becomes a GitError (exit 6) with git's first line.

import type { SimpleGit } from 'simple-git';
import { loadPackage } from '../bundles.js';
import { GitError } from '../core/errors.js';

/** Reads never take git's optional locks, so they do not disturb a user's running git. */
export function readEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, GIT_OPTIONAL_LOCKS: '0' };
}

// simple-git refuses to run when the environment or the arguments could make git run another
// program (EDITOR, PAGER, GIT_SSH_COMMAND, `merge.*.driver`, …), to protect callers that pass
// untrusted input. hzl passes the user's own environment and builds every argument itself
// (refs are checked, `--end-of-options` is used), so these checks would only break it: an
// ordinary shell has EDITOR set, and `hzl init` must register the merge driver.
const TRUSTED = Object.fromEntries(
  [
    'allowUnsafeAlias',
    'allowUnsafeAskPass',
    'allowUnsafeConfigEnvCount',
    'allowUnsafeConfigPaths',
    'allowUnsafeCredentialHelper',
    'allowUnsafeDiffExternal',
    'allowUnsafeDiffTextConv',
    'allowUnsafeEditor',
    'allowUnsafeFilter',
    'allowUnsafeFsMonitor',
    'allowUnsafeGitProxy',
    'allowUnsafeGpgProgram',
    'allowUnsafeHooksPath',
    'allowUnsafeMergeDriver',
    'allowUnsafePack',
    'allowUnsafePager',
    'allowUnsafeProtocolOverride',
    'allowUnsafeSshCommand',
    'allowUnsafeTemplateDir',
  ].map((flag) => [flag, true]),
);

export async function gitAt(dir: string, env: NodeJS.ProcessEnv): Promise<SimpleGit> {
  const { simpleGit } = await loadPackage<typeof import('simple-git')>('simple-git');
  try {
    return simpleGit({ baseDir: dir, unsafe: TRUSTED }).env(env);
  } catch (err) {
    throw new GitError(`cannot run git in ${dir}: ${firstLine(err)}`);
  }
}

export const GIT_MISSING = 'git is not installed or not on PATH; install git or put it on PATH';

/** Whether `err` says that there is no git to run, rather than that git refused. */
export function isGitMissing(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /ENOENT/.test(text) && /spawn git/.test(text);
}

/** Runs git; a failure becomes a GitError with `explain(git's message)`. */
export async function run(git: SimpleGit, args: string[], explain: (message: string) => string): Promise<string> {
  try {
    return await git.raw(args);
  } catch (err) {
    throw new GitError(isGitMissing(err) ? GIT_MISSING : explain(firstLine(err)));
  }
}

/**
 * `optional` without simple-git: one plain child process, for a path that runs git once or twice
 * and should not pay for loading simple-git (about 10 ms). Undefined when git fails.
 */
export function optionalPlain(cwd: string, args: string[], env: NodeJS.ProcessEnv): string | undefined {
  const { execFileSync } = process.getBuiltinModule('node:child_process'); // not at start-up: ~1.6 ms
  try {
    return execFileSync('git', args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
      encoding: 'utf8',
      maxBuffer: 1 << 30, // a history scan names every task file ever added
    });
  } catch {
    return undefined;
  }
}

/** Runs git; undefined when it fails (for questions like "is there an upstream?"). */
export async function optional(git: SimpleGit, args: string[]): Promise<string | undefined> {
  try {
    return await git.raw(args);
  } catch {
    return undefined;
  }
}

export function firstLine(err: unknown): string {
  if (isGitMissing(err)) return 'git is not installed or not on PATH';
  const text = err instanceof Error ? err.message : String(err);
  return (
    text
      .trim()
      .split('\n')[0]
      ?.replace(/^fatal:\s*/, '') ?? 'unknown error'
  );
}

export interface GitObject {
  type: string;
  data: Buffer;
}

/** Many objects through one `git cat-file --batch`, keyed by the name asked for. Missing: absent. */
export function readObjects(cwd: string, names: string[], env: NodeJS.ProcessEnv): Promise<Map<string, GitObject>> {
  if (names.length === 0) return Promise.resolve(new Map());
  return new Promise((resolve, reject) => {
    // Loaded here, not at start-up: child_process (with net, dgram, streams) costs ~1.6 ms.
    const { spawn } = process.getBuiltinModule('node:child_process');
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (err) =>
      reject(
        new GitError((err as NodeJS.ErrnoException).code === 'ENOENT' ? GIT_MISSING : `cannot run git: ${err.message}`),
      ),
    );
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitError(`git cat-file failed: ${stderr.split('\n')[0] || `exit ${code}`}`));
      try {
        resolve(parseBatch(Buffer.concat(chunks), names));
      } catch (err) {
        reject(err);
      }
    });
    child.stdin.on('error', () => undefined); // reported through 'close'
    child.stdin.end(`${names.join('\n')}\n`);
  });
}

function parseBatch(out: Buffer, names: string[]): Map<string, GitObject> {
  const objects = new Map<string, GitObject>();
  let at = 0;
  for (const name of names) {
    const eol = out.indexOf(0x0a, at);
    if (eol === -1) break;
    const header = out.subarray(at, eol).toString('utf8');
    at = eol + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) throw new GitError(`git cat-file: unexpected output '${header.slice(0, 60)}'`);
    const size = Number(m[3]);
    objects.set(name, { type: m[2]!, data: out.subarray(at, at + size) });
    at += size + 1;
  }
  return objects;
}

/** Entries of a raw tree object: mode, name and object id. */
export function parseTree(data: Buffer): Array<{ mode: string; name: string; oid: string }> {
  const entries: Array<{ mode: string; name: string; oid: string }> = [];
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const nul = data.indexOf(0x00, space);
    if (space === -1 || nul === -1) break;
    entries.push({
      mode: data.subarray(at, space).toString('utf8'),
      name: data.subarray(space + 1, nul).toString('utf8'),
      oid: data.subarray(nul + 1, nul + 21).toString('hex'),
    });
    at = nul + 21;
  }
  return entries;
}
