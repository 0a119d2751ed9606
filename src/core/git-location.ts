// Where git keeps a checkout's state: found by store/project.ts from the files git keeps, used by
// git/ to run git there. A plain record, so that neither room imports the other.

export interface GitLocation {
  worktreeRoot: string; // where `.git` is
  gitDir: string; // this worktree's own git dir
  commonDir: string; // shared by all worktrees
}
