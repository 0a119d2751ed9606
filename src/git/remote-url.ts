// The URL a remote stands for, the first `remote.<name>.url` (the one git fetches from): what the
// cached claims of a remote are keyed by, so that `git remote set-url` (or another remote given
// the old name) never shows the claims of the old one. Read from the clone's config file, without
// running git; git answers only when the file cannot say (includes, or a remote set elsewhere).
// An empty `url =` is one more URL, an empty one, as git 2.39 reads it (git 2.46 and later read
// it as a reset of the list).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
  let inRemote = false;
  for (const raw of joinedLines(text)) {
    const line = raw.trim();
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section) {
      const sub = section[2]?.replace(/\\(.)/g, '$1');
      inRemote = section[1]!.toLowerCase() === 'remote' && sub === name;
      continue;
    }
    if (!inRemote) continue;
    const entry = /^url\s*=\s*(.*)$/i.exec(line);
    if (entry) return configValue(entry[1]!);
  }
  return undefined;
}

/** The file's lines, a line that ends in a backslash outside quotes joined with the next, as git reads them. */
function joinedLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const whole = pending + line;
    if (endsInContinuation(whole)) pending = whole.slice(0, -1);
    else {
      lines.push(whole);
      pending = '';
    }
  }
  if (pending) lines.push(pending);
  return lines;
}

/** Whether a line ends in a backslash that escapes the line break (not itself escaped, not in a comment). */
function endsInContinuation(line: string): boolean {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      if (i === line.length - 1) return true;
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '#' || c === ';')) return false;
  }
  return false;
}

/** A value as git reads it: quotes removed, escapes undone, a trailing comment dropped. */
function configValue(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < raw.length) {
      const next = raw[++i]!;
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return out.trim();
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
