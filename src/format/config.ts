// `.hzl/config.yml`: versioned settings. Wrong types are refused with the key named.

import { InvalidDataError } from '../core/errors.js';
import { isDuration } from '../core/time.js';
import { authorProblem, normalizeAuthor, printable } from '../core/validate.js';
import { nearest } from '../core/suggest.js';
import { readSimpleConfig } from './simple-config.js';
import { YamlLimitError, loadYaml, yamlErrorLine } from './yaml.js';

export interface Config {
  commit: boolean;
  lease: string;
  author?: string;
  /** Run git's commit hooks for commit-mode commits (default: no, --no-verify). */
  commitHooks?: boolean;
  /** The git remote that coordinates ids and claims across clones (docs/clones.md). */
  remote?: string;
  /** How long reads trust the claims last fetched from the remote (a duration; default 30s). */
  remote_cache?: string;
  /** Keys hzl does not know (typos, most often), said once per command as a warning. */
  unknownKeys?: string[];
}

/** Every key hzl reads from config.yml (`id_style` is reserved for later). */
export const CONFIG_KEYS = ['commit', 'commit_hooks', 'lease', 'author', 'remote', 'remote_cache', 'id_style'];

/** One warning line for the keys of config.yml that hzl does not know, with the nearest known one. */
export function unknownKeysWarning(keys: string[], file: string): string {
  const said = keys.map((key) => {
    const near = nearest(key, CONFIG_KEYS);
    return near ? `'${printable(key)}' (did you mean '${near}'?)` : `'${printable(key)}'`;
  });
  return `${file}: hzl does not know ${said.join(', ')}; it reads ${CONFIG_KEYS.join(', ')}`;
}

export const DEFAULT_CONFIG: Config = { commit: false, lease: '2h' };

export const CONFIG_TEMPLATE = `# hzl settings, shared by everyone who clones this repository.
# Flags win over environment (HZL_*), which wins over this file.

# Commit each task change to git as it is written (like passing --commit).
commit: false

# Run the repository's git hooks for those commits (off: task bookkeeping is not code).
# commit_hooks: false

# How long a claim lasts before other agents may steal it (90s, 30m, 2h, 1d; at most 365d).
lease: 2h

# Default actor for writes when neither --author nor HZL_AUTHOR is given.
# author: claude-code

# Coordinate ids and claims across clones through this git remote (see docs/clones.md).
# remote: origin
`;

export function parseConfig(text: string, file: string): Config {
  let data: unknown;
  try {
    data = readSimpleConfig(text) ?? loadYaml(text) ?? {};
  } catch (err) {
    if (err instanceof YamlLimitError) throw new InvalidDataError(`${file}:${err.line + 1}: its YAML ${err.reason}`);
    const where = yamlErrorLine(err);
    throw new InvalidDataError(`${file}:${(where?.line ?? 0) + 1}: not valid YAML: ${where?.reason ?? String(err)}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidDataError(`${file}: expected \`key: value\` lines such as 'lease: 2h'`);
  }
  const raw = data as Record<string, unknown>;
  const config: Config = { ...DEFAULT_CONFIG };
  if (raw.commit !== undefined && raw.commit !== null) {
    if (typeof raw.commit !== 'boolean') throw new InvalidDataError(`${file}: 'commit' must be true or false`);
    config.commit = raw.commit;
  }
  if (raw.commit_hooks !== undefined && raw.commit_hooks !== null) {
    if (typeof raw.commit_hooks !== 'boolean')
      throw new InvalidDataError(`${file}: 'commit_hooks' must be true or false`);
    config.commitHooks = raw.commit_hooks;
  }
  if (raw.lease !== undefined && raw.lease !== null) {
    if (!isDuration(raw.lease))
      throw new InvalidDataError(`${file}: 'lease' must be a duration like 90s, 30m, 2h or 1d, at most 365d`);
    config.lease = raw.lease.trim();
  }
  if (raw.author !== undefined && raw.author !== null) {
    const author = normalizeAuthor(raw.author);
    const problem =
      typeof raw.author === 'string' || typeof raw.author === 'number' ? authorProblem(author) : 'it must be text';
    if (problem)
      throw new InvalidDataError(`${file}: 'author' '${printable(author)}' is not a usable name: ${problem}`);
    config.author = author;
  }
  if (raw.remote !== undefined && raw.remote !== null) {
    if (typeof raw.remote !== 'string' || !isRemoteName(raw.remote)) {
      throw new InvalidDataError(`${file}: 'remote' must name a git remote, like 'remote: origin'`);
    }
    config.remote = raw.remote;
  }
  if (raw.remote_cache !== undefined && raw.remote_cache !== null) {
    if (!isDuration(raw.remote_cache))
      throw new InvalidDataError(`${file}: 'remote_cache' must be a duration like 10s or 1m`);
    config.remote_cache = raw.remote_cache.trim();
  }
  const unknown = Object.keys(raw).filter((key) => !CONFIG_KEYS.includes(key));
  if (unknown.length) config.unknownKeys = unknown;
  return config;
}

/** A name `git remote add` would take; never an option or a URL with spaces. */
export function isRemoteName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/.test(name) && !name.includes('..') && !name.endsWith('/');
}

/**
 * The config text with `remote: name` set: the line that names a remote (or its commented example) replaced, else
 * appended.
 */
export function withRemote(text: string, name: string): string {
  const line = /^#?[ \t]*remote:.*$/m;
  if (line.test(text)) return text.replace(line, `remote: ${name}`);
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}remote: ${name}\n`;
}
