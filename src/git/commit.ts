// Commit mode: commit exactly the task files a command wrote, never anything else the user has
// staged or changed. Skipped (file written, nothing committed) during a merge, rebase,
// cherry-pick or revert, and on a detached HEAD.

import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GitError } from '../core/errors.js';
import { withoutControls } from '../core/printable.js';
import type { GitLocation } from '../core/git-location.js';
import type { SimpleGit } from 'simple-git';
import { firstLine, gitAt, optional } from './repo.js';

export type CommitOutcome = { hash: string; subject: string } | { skipped: string } | { alreadyCommitted: true };

/** Why committing now would be wrong, or undefined when it is fine. */
export function commitBlocker(git: GitLocation): string | undefined {
  const has = (name: string) => existsSync(join(git.gitDir, name));
  if (has('MERGE_HEAD')) return 'a merge is in progress';
  if (has('rebase-merge') || has('rebase-apply')) return 'a rebase is in progress';
  if (has('CHERRY_PICK_HEAD')) return 'a cherry-pick is in progress';
  if (has('REVERT_HEAD')) return 'a revert is in progress';
  try {
    if (!readFileSync(join(git.gitDir, 'HEAD'), 'utf8').startsWith('ref:')) return 'HEAD is detached';
  } catch {
    return 'HEAD cannot be read';
  }
  return undefined;
}

const PAST: Record<string, string> = {
  add: 'added',
  claim: 'claimed',
  complete: 'completed',
  handoff: 'handed off',
  release: 'released',
  block: 'blocked',
  unblock: 'unblocked',
  reopen: 'reopened',
  archive: 'archived',
  steal: 'taken over',
  update: 'updated',
  edit: 'edited',
  delete: 'deleted',
};

export interface CommitSubject {
  id: number;
  action: string;
  title: string;
  actor?: string;
  detail: string;
  /** The file held uncommitted changes before this write: they go into this commit too. */
  earlier?: boolean;
}

/**
 * `hzl: #2 claimed by codex: Add rate limiting`: the task, what happened, who, and its title in a
 * first line of at most 72 characters; below it, what the write added (the checkpoint's text).
 */
export function commitMessage(change: CommitSubject): string {
  const by = change.actor ? ` by ${oneLine(change.actor)}` : '';
  const what = `${PAST[change.action] ?? change.action}${by}`;
  const head = change.id > 0 ? `hzl: #${change.id} ${what}` : `hzl: ${what}`; // doctor: no one task
  const title = oneLine(change.title);
  const room = 72 - head.length - 2;
  const subject =
    room < 8
      ? head.slice(0, 72)
      : `${head}: ${title.length <= room ? title : `${title.slice(0, room - 1).trimEnd()}…`}`;
  const detail = withoutControls(change.detail.trim(), '?', { keepNewlines: true });
  const body = [detail === title ? '' : detail];
  if (change.earlier) body.push('Also commits earlier uncommitted changes to this task file.');
  const text = body.filter(Boolean).join('\n\n');
  return text ? `${subject}\n\n${text}\n` : subject;
}

/** Control characters would reach every `git log` reader's terminal: a subject shows `?`. */
function oneLine(text: string): string {
  return withoutControls(text, '?').trim();
}

/** Whether `file` differed from HEAD before this write (its text then: `before`). */
export async function hasEarlierEdits(
  git: GitLocation,
  file: string,
  before: string,
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  const repo = await gitAt(git.worktreeRoot, env);
  const path = relative(git.worktreeRoot, file).split('\\').join('/');
  const committed = await optional(repo, ['show', `HEAD:${path}`]);
  return committed === undefined || committed !== before;
}

export interface CommitOptions {
  /** Run the repository's commit hooks (config `commit_hooks: true`); off by default. */
  hooks?: boolean;
}

export async function commitFiles(
  git: GitLocation,
  paths: string[],
  message: string,
  env: NodeJS.ProcessEnv,
  options: CommitOptions = {},
): Promise<CommitOutcome> {
  const blocker = commitBlocker(git);
  if (blocker) return { skipped: blocker };
  let files = paths.map((p) => relative(git.worktreeRoot, p).split('\\').join('/'));
  // One commit at a time per clone (git's own index.lock would make a second one fail): the caller
  // holds the commit lock (store/lock.ts) around this call.
  const repo = await gitAt(git.worktreeRoot, env);
  try {
    // A file this command removed is committed as removed if git knew it, and left out if not.
    const gone = files.filter((f) => !existsSync(join(git.worktreeRoot, f)));
    const tracked = gone.length ? (await repo.raw(['ls-files', '--', ...gone])).split('\n').filter(Boolean) : [];
    files = files.filter((f) => !gone.includes(f) || tracked.includes(f));
    await repo.raw(['add', '-A', '--', ...files]);
    // Another command's commit may have taken this change along (it commits the file as it is
    // then): nothing is left, and HEAD is that command's commit, not ours to report.
    if ((await repo.raw(['status', '--porcelain', '--untracked-files=no', '--', ...files])).trim() === '')
      return { alreadyCommitted: true };
    const before = await headOf(repo);
    // --only commits these paths as they are in the working tree and leaves the rest of the
    // index (the user's staged changes) as it was. Hooks are for code: by default a task's
    // bookkeeping skips them (--no-verify), unless the config asks for them.
    const verify = options.hooks ? [] : ['--no-verify'];
    await repo.raw(['commit', '--quiet', ...verify, '--only', '-m', message, '--', ...files]);
    const hash = await headOf(repo);
    if (!hash || hash === before) throw new Error('git made no commit');
    return { hash, subject: message.split('\n')[0]! };
  } catch (err) {
    throw new GitError(`git commit failed: ${firstLine(err)}`);
  }
}

/** The commit HEAD names, or undefined on a branch with no commit yet. */
async function headOf(repo: SimpleGit): Promise<string | undefined> {
  return (await optional(repo, ['rev-parse', '--verify', '--quiet', 'HEAD']))?.trim() || undefined;
}
