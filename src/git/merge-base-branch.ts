// `hzl sync --base REV`: merge the base branch into the current one here, where the hzl merge
// driver runs, so that a host whose merge button runs no driver has nothing left to merge under
// .hzl/. A base named `<remote>/<branch>` is fetched first.

import { GitError } from '../core/errors.js';

export interface BaseMerge {
  merged: boolean; // false: already up to date
  conflicts: string[]; // files left unmerged, for the user
}

export function mergeBase(cwd: string, base: string, env: NodeJS.ProcessEnv): BaseMerge {
  const { spawnSync } = process.getBuiltinModule('node:child_process'); // not at start-up: ~1.6 ms
  const git = (args: string[]) =>
    spawnSync('git', args, {
      cwd,
      env: { ...env, GIT_TERMINAL_PROMPT: '0', GIT_MERGE_AUTOEDIT: 'no' },
      encoding: 'utf8',
    });
  const failed = (what: string, r: { stderr: string; stdout: string }) =>
    new GitError(
      `${what}: ${
        (r.stderr || r.stdout)
          .trim()
          .split('\n')
          .find(Boolean)
          ?.replace(/^(fatal|error):\s*/, '') ?? 'git failed'
      }`,
    );

  const remotes = (git(['remote']).stdout ?? '').split('\n').filter(Boolean);
  const remote = remotes.find((r) => base.startsWith(`${r}/`));
  if (remote) {
    const fetched = git(['fetch', '-q', remote, base.slice(remote.length + 1)]);
    if (fetched.status !== 0) throw failed(`cannot fetch ${base}`, fetched);
  }
  if (git(['rev-parse', '--verify', '--quiet', `${base}^{commit}`]).status !== 0) {
    throw new GitError(`no branch or commit '${base}' to merge; name the base branch, like --base origin/main`);
  }
  if (git(['merge-base', '--is-ancestor', base, 'HEAD']).status === 0) return { merged: false, conflicts: [] };
  const merge = git(['merge', '--no-edit', '-m', `Merge ${base} (hzl sync --base)`, base]);
  if (merge.status === 0) return { merged: true, conflicts: [] };
  const unmerged = git(['diff', '--name-only', '--diff-filter=U']).stdout.split('\n').filter(Boolean);
  if (unmerged.length === 0) throw failed(`git merge ${base} failed`, merge);
  return { merged: true, conflicts: unmerged };
}
