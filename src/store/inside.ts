// Files hzl writes beside the user's (AGENTS.md, CLAUDE.md, .claude/settings.json …) may be
// links, and a cloned repository can ship a link that leads anywhere. hzl follows a link only
// while it stays inside the repository.

import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { InvalidDataError } from '../core/errors.js';

/**
 * The real path to write for `path` (links followed, also in its folders), or exit 5 when that
 * is outside `root`. `label` names the file in the message.
 */
export function realPathInside(root: string, path: string, label: string): string {
  const realRoot = realpathSync(root);
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  const real = join(realpathSync(existing), ...rest);
  const rel = relative(realRoot, real);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new InvalidDataError(
      `${label} leads outside the repository through a link (to ${real}); ` +
        'hzl writes no file outside it: replace the link with a real file or folder',
    );
  }
  return real;
}
