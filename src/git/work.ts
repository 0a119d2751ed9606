// What git knows about the work in a checkout: the branch, the HEAD commit, and the files
// changed since a moment (committed since then, and not committed yet). hzl's own files under
// .hzl/ are left out: they are the ledger, not the work.

import { gitAt, optional } from './repo.js';

export interface WorkState {
  root: string; // the top of the work tree, which the paths are relative to
  branch: string | null; // null: a detached HEAD
  head: string | null; // null: no commit yet
  committed: string[]; // files in commits made since the moment
  uncommitted: string[]; // files changed, staged or new in the working tree
}

const ours = (path: string) => path === '.hzl' || path.startsWith('.hzl/');

/** `git status --porcelain -z`: entries `XY path`, a rename followed by its old path. */
function parseStatus(out: string): string[] {
  const parts = out.split('\0');
  const files: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.length < 4) continue;
    files.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') i++; // the old path
  }
  return files;
}

/** The work state, or undefined when `dir` is not in a git work tree (or git is missing). */
export async function workSince(
  dir: string,
  env: NodeJS.ProcessEnv,
  since: string | undefined,
): Promise<WorkState | undefined> {
  const git = await gitAt(dir, { ...env, GIT_OPTIONAL_LOCKS: '0' }).catch(() => undefined);
  if (!git) return undefined;
  const inside = await optional(git, ['rev-parse', '--is-inside-work-tree']);
  if (inside?.trim() !== 'true') return undefined;
  const top = (await optional(git, ['rev-parse', '--show-toplevel']))?.trim();
  const at = top ? await gitAt(top, { ...env, GIT_OPTIONAL_LOCKS: '0' }) : git;
  const branch = (await optional(at, ['symbolic-ref', '--quiet', '--short', 'HEAD']))?.trim() || null;
  const head = (await optional(at, ['rev-parse', '--short', '--verify', '--quiet', 'HEAD']))?.trim() || null;
  // Times have whole seconds: a commit in the claim's own second came just before it, most likely.
  const after = since === undefined ? undefined : new Date(Date.parse(since) + 1000).toISOString();
  // -z: names as they are (no C quoting of 'café.ts'), each ended by a NUL.
  const log =
    head && after
      ? await optional(at, ['log', '-z', `--since=${after}`, '--name-only', '--format=', 'HEAD', '--'])
      : '';
  const status = (await optional(at, ['status', '--porcelain', '-z', '--untracked-files=all'])) ?? '';
  const committed = [...new Set((log ?? '').split('\0').filter((f) => f && !ours(f)))];
  const uncommitted = parseStatus(status).filter((f) => !ours(f));
  return { root: top ?? dir, branch, head, committed, uncommitted };
}
