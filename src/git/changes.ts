// Reads the task files of two commits for `hzl changes`: HEAD and its merge-base with a base
// branch. Only git objects are read (never the checkout), so a clean clone works. simple-git runs
// the small calls; one `git cat-file --batch` (src/git/repo.ts) reads every blob needed.

import type { SimpleGit } from 'simple-git';
import { GitError, NotFoundError } from '../core/errors.js';
import { taskIdOfFileName } from '../core/task.js';
import { printable } from '../core/validate.js';
import { gitAt, optional, readEnv, readObjects, run } from './repo.js';

export interface TaskFileVersions {
  path: string; // from the repository root
  before?: string; // text at the merge-base
  after?: string; // text at HEAD
}

export interface TaskHistoryRange {
  base: string; // the base as named (or chosen: upstream, main, master)
  baseCommit: string;
  mergeBase: string;
  head: string;
  /** Task files that differ between the merge-base and HEAD. */
  files: TaskFileVersions[];
  /** Task files with changes not committed yet (not part of the comparison). */
  uncommitted: boolean;
}

/**
 * The task files under `projectRoot/.hzl/tasks` that changed between HEAD and its merge-base
 * with `base` (default: the branch's upstream when it is another branch, else main or master).
 */
export async function readTaskHistoryRange(
  projectRoot: string,
  base: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<TaskHistoryRange> {
  const gitEnv = readEnv(env);
  const here = await gitAt(projectRoot, gitEnv);
  const [top, prefix] = (await run(here, ['rev-parse', '--show-toplevel', '--show-prefix'], describeRevParse)).split(
    '\n',
  );
  // On a branch with no commits git answers `rev-parse HEAD` with the words it was given.
  const head = (await optional(here, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']))?.trim();
  if (!head) throw new GitError('this branch has no commits yet: commit the task files first');
  if (!top)
    throw new GitError("cannot read this repository's top folder: 'git rev-parse --show-toplevel' gave nothing");
  const git = await gitAt(top, gitEnv);

  const baseName = base ?? (await defaultBase(git));
  const baseCommit = await resolveCommit(git, baseName);
  const mergeBase = (
    await run(
      git,
      ['merge-base', baseCommit, head],
      () => `'${baseName}' and HEAD have no common history: name another base, like 'hzl changes main'`,
    )
  ).trim();

  const dir = `${prefix ?? ''}.hzl/tasks/`;
  const [before, after, status] = await Promise.all([
    listTaskBlobs(git, mergeBase, dir),
    listTaskBlobs(git, head, dir),
    run(git, ['status', '--porcelain', '-z', '--untracked-files=all', '--', dir], (m) => `git status failed: ${m}`),
  ]);
  const paths = [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p)).sort();
  const oids = new Set<string>();
  for (const p of paths) {
    for (const oid of [before.get(p), after.get(p)]) if (oid) oids.add(oid);
  }
  const blobs = await readObjects(top, [...oids], gitEnv);
  const text = (oid: string) => {
    const blob = blobs.get(oid);
    if (!blob)
      throw new GitError(
        `cannot read object ${oid.slice(0, 7)} of ${dir}: the repository may be incomplete (shallow or partial clone)`,
      );
    return blob.data.toString('utf8');
  };
  const files = paths.map((path) => {
    const b = before.get(path);
    const a = after.get(path);
    return { path, ...(b ? { before: text(b) } : {}), ...(a ? { after: text(a) } : {}) };
  });
  return { base: baseName, baseCommit, mergeBase, head, files, uncommitted: status.trim() !== '' };
}

function describeRevParse(message: string): string {
  if (/not a git repository/i.test(message))
    return "not a git repository: 'hzl changes' reads the branch's history; run it inside a git repository";
  if (/ambiguous argument 'HEAD'|unknown revision/i.test(message))
    return 'this branch has no commits yet: commit the task files first';
  return `git failed: ${message}`;
}

/** The upstream when it is another branch (as after `git switch -c feature origin/main`), else main or master. */
async function defaultBase(git: SimpleGit): Promise<string> {
  const branch = (await optional(git, ['symbolic-ref', '--quiet', '--short', 'HEAD']))?.trim();
  if (branch) {
    const upstream = (
      await optional(git, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'])
    )?.trim();
    // A branch that tracks its own remote copy (`git push -u`) would compare with itself.
    if (upstream && upstream !== branch && !upstream.endsWith(`/${branch}`)) return upstream;
  }
  const candidates = ['refs/heads/main', 'refs/heads/master', 'refs/remotes/origin/main', 'refs/remotes/origin/master'];
  const found = (
    await run(git, ['for-each-ref', '--format=%(refname)', ...candidates], (m) => `git for-each-ref failed: ${m}`)
  )
    .split('\n')
    .filter(Boolean);
  const pick = candidates.find((c) => found.includes(c));
  if (!pick) {
    throw new NotFoundError(
      'no base to compare with: this branch has no upstream and there is no main or master; ' +
        "name one: 'hzl changes BASE'",
    );
  }
  return pick.replace(/^refs\/(heads|remotes)\//, '');
}

async function resolveCommit(git: SimpleGit, name: string): Promise<string> {
  if (name.startsWith('-') || name.includes('\0'))
    throw new NotFoundError(`unknown base '${printable(name)}': name a branch, tag or commit`);
  const sha = (
    await optional(git, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`])
  )?.trim();
  if (!sha) {
    throw new NotFoundError(
      `unknown base '${printable(name)}': name a branch, tag or commit, ` +
        "like 'hzl changes main' or 'hzl changes origin/main'",
    );
  }
  return sha;
}

/** Task file path → blob id in `commit`, for files directly in `dir`. */
async function listTaskBlobs(git: SimpleGit, commit: string, dir: string): Promise<Map<string, string>> {
  const out = await run(
    git,
    ['ls-tree', '-r', '-z', '--full-tree', commit, '--', dir],
    (m) => `git ls-tree failed: ${m}`,
  );
  const blobs = new Map<string, string>();
  for (const record of out.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(record);
    if (!m) continue;
    const path = m[2]!;
    const name = path.slice(dir.length);
    if (path.startsWith(dir) && taskIdOfFileName(name) !== undefined) blobs.set(path, m[1]!);
  }
  return blobs;
}
