// The URL a remote stands for, the first `remote.<name>.url` (the one git fetches from): what the
// cached claims of a remote are keyed by, so that `git remote set-url` (or another remote given
// the old name) never shows the claims of the old one. Read from the clone's config file, without
// running git; git answers only when the file cannot say (includes, or a remote set elsewhere).
// An empty `url =` is one more URL, an empty one, as git 2.39 reads it (git 2.46 and later read
// it as a reset of the list).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configEntries } from './config-file.js';

/** The remote's first `url`; undefined when git knows none (or cannot be asked). */
export function remoteUrl(
  name: string,
  where: { commonDir?: string; cwd: string },
  env: NodeJS.ProcessEnv,
): string | undefined {
  const text = where.commonDir === undefined ? undefined : readOrUndefined(join(where.commonDir, 'config'));
  if (text !== undefined && !/^\s*\[\s*include/im.test(text)) {
    const url = urlInConfig(text, name);
    if (url !== undefined) return url;
  }
  return askGit(name, where.cwd, env);
}

/** The first `url` of section [remote "name"] in a git config file's text. */
export function urlInConfig(text: string, name: string): string | undefined {
  const entry = configEntries(text).find(
    (e) => e.section === 'remote' && e.subsection === name && e.key === 'url' && e.value !== undefined,
  );
  return entry?.value;
}

function askGit(name: string, cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  try {
    const { execFileSync } = process.getBuiltinModule('node:child_process'); // not at start-up: ~1.6 ms
    // The first of all: `--get` would give the last, yet git fetches from the first.
    const out = execFileSync('git', ['config', '-z', '--get-all', `remote.${name}.url`], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
      encoding: 'utf8',
    });
    return out === '' ? undefined : out.split('\0')[0];
  } catch {
    return undefined;
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
