// Task files on other branches, read from git objects (never the checkout): three git calls
// whatever the number of branches: the refs, their task-folder trees, then every distinct blob.

import { relative } from 'node:path';
import { GitError, NotFoundError } from '../core/errors.js';
import { taskIdOfFileName } from '../core/task.js';
import { printable } from '../core/validate.js';
import { GIT_MISSING, firstLine, gitAt, isGitMissing, parseTree, readEnv, readObjects, run } from './repo.js';

export interface RefTaskFile {
  ref: string;
  name: string; // file name inside .hzl/tasks
  text: string;
}

export interface Where {
  worktreeRoot: string;
  tasksDir: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Local and remote-tracking branches, short names, without the `origin/HEAD` alias: the branch
 * checked out first, then git's order.
 */
export async function listBranches(where: Where): Promise<string[]> {
  const git = await gitAt(where.worktreeRoot, readEnv(where.env));
  const format = '--format=%(refname:short)%00%(symref)%00%(HEAD)';
  const out = await run(
    git,
    ['for-each-ref', format, 'refs/heads', 'refs/remotes'],
    (m) => `git for-each-ref failed: ${m}`,
  );
  const rows = out
    .split('\n')
    .map((l) => l.split('\0'))
    .filter(([name, symref]) => name && !symref);
  return [...rows.filter((r) => r[2] === '*'), ...rows.filter((r) => r[2] !== '*')].map(([name]) => name!);
}

/** Refuses what is not a commit, with exit 3, before anything is read. */
export async function checkRef(where: Where, ref: string): Promise<void> {
  if (ref.startsWith('-') || /[\0\n]/.test(ref))
    throw new NotFoundError(`unknown branch '${printable(ref)}': name a branch, like main`);
  const git = await gitAt(where.worktreeRoot, readEnv(where.env));
  let sha = '';
  try {
    // simple-git resolves a failure that printed nothing (as --quiet does) with empty output.
    sha = (await git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
  } catch (err) {
    if (/not a git repository/i.test(String(err)))
      throw new GitError('not a git repository: --branch reads git history; run hzl inside one');
    if (/not installed|ENOENT/.test(firstLine(err))) throw new GitError(firstLine(err));
  }
  if (!sha) throw new NotFoundError(`unknown branch '${printable(ref)}': 'git branch -a' lists the branches there are`);
}

/** The task files of each ref. A ref without a `.hzl/tasks` folder has none. */
export async function taskFilesAt(where: Where, refs: string[]): Promise<RefTaskFile[]> {
  const env = readEnv(where.env);
  const folder = relative(where.worktreeRoot, where.tasksDir).split('\\').join('/');
  const trees = await readObjects(
    where.worktreeRoot,
    refs.map((r) => `${r}:${folder}`),
    env,
  );
  const wanted = new Map<string, Array<{ ref: string; name: string }>>();
  for (const ref of refs) {
    const tree = trees.get(`${ref}:${folder}`);
    if (tree?.type !== 'tree') continue;
    for (const entry of parseTree(tree.data)) {
      if (!entry.mode.startsWith('100') || taskIdOfFileName(entry.name) === undefined) continue;
      wanted.set(entry.oid, [...(wanted.get(entry.oid) ?? []), { ref, name: entry.name }]);
    }
  }
  const blobs = await readObjects(where.worktreeRoot, [...wanted.keys()], env);
  const files: RefTaskFile[] = [];
  for (const [oid, uses] of wanted) {
    const blob = blobs.get(oid);
    if (!blob) continue;
    const text = blob.data.toString('utf8');
    for (const use of uses) files.push({ ...use, text });
  }
  return files;
}

export interface FileCommit {
  hash: string;
  date: string; // ISO 8601, UTC
  subject: string;
}

/** The commits that touched one file, newest first (`git log --follow`). */
export async function commitsTouching(where: Where, path: string): Promise<FileCommit[]> {
  const git = await gitAt(where.worktreeRoot, readEnv(where.env));
  const rel = relative(where.worktreeRoot, path).split('\\').join('/');
  let out: string;
  try {
    out = await git.raw(['log', '--format=%H%x00%cI%x00%s', '--', rel]);
  } catch (err) {
    if (/does not have any commits yet|unknown revision|bad default revision/i.test(String(err))) return [];
    throw new GitError(isGitMissing(err) ? GIT_MISSING : `git log failed: ${firstLine(err)}`);
  }
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [hash = '', date = '', subject = ''] = line.split('\0');
      return { hash, date: new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z'), subject };
    });
}
