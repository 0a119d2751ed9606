// `hzl init --remote NAME`: checks that the remote exists and answers, then writes
// `remote: NAME` into .hzl/config.yml (the versioned setting every clone then follows).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { withRemote } from '../format/config.js';
import { RemoteRefs } from '../git/remote-refs.js';
import { writeFileAtomic } from '../store/atomic.js';
import { findGit } from '../store/project.js';

/** Checked before init writes anything: the remote exists and answers (else exit 2 or 6). */
export function checkRemote(root: string, name: string, env: NodeJS.ProcessEnv): void {
  const git = findGit(root);
  if (!git)
    throw new UsageError("--remote needs a git repository with that remote: run 'git init' and 'git remote add' first");
  const remote = new RemoteRefs(name, git.worktreeRoot, env);
  if (!remote.exists())
    throw new UsageError(
      `there is no git remote '${name}' in this repository; add it with 'git remote add ${name} URL' first`,
    );
  remote.list('refs/hzl/ids/*');
}

/** Whether the config changed. */
export function setRemote(root: string, name: string): boolean {
  const file = join(root, '.hzl', 'config.yml');
  const before = readFileSync(file, 'utf8');
  const after = withRemote(before, name);
  if (after === before) return false;
  writeFileAtomic(file, after, '.hzl/config.yml');
  return true;
}
