// Whether hzl may push a record itself (send-pack.ts) rather than run `git push`, and where to.
// Only where it knows exactly where `git push` would go and what it would do on the way: the
// remote has one URL, in the clone's own config, that is `git://` or a path on this machine,
// and no config or environment changes the route (URL rewrites, a push URL, a proxy, another
// receive-pack, includes, protocol rules, push options or signing, GIT_* variables that point
// git elsewhere). Anything else, and HZL_GIT_PUSH=git, runs `git push` as before.

import { readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { type ConfigEntry, configEntries } from './config-file.js';

export type PushRoute =
  | { kind: 'daemon'; host: string; port: number; path: string; hostHeader: string }
  | { kind: 'local'; path: string };

/**
 * GIT_* variables that point git at other repositories or config, or change what a push says or
 * through what (git's own list of variables, less those for identity, editors, prompts, ssh, http
 * and which config files to read).
 */
const ROUTE_ENV =
  /^GIT_(DIR|WORK_TREE|COMMON_DIR|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|INDEX_FILE|NAMESPACE|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|PROXY_COMMAND|ALLOW_PROTOCOL|PROTOCOL_FROM_USER|PROTOCOL|TRACE\w*|PUSH\w*|QUARANTINE_PATH|SHALLOW_FILE|GRAFT_FILE|REPLACE_REF_BASE|NO_REPLACE_OBJECTS|PREFIX|IMPLICIT_WORK_TREE|INTERNAL_\w*)$/;

/** Sections whose presence anywhere may change where or how a push goes. */
const ROUTE_SECTIONS = new Set(['url', 'include', 'includeif', 'protocol']);

/** Keys, as section.key, that change what a push sends or through what. */
const ROUTE_KEYS = new Set([
  'core.gitproxy',
  'push.pushoption',
  'push.gpgsign',
  'push.negotiate',
  'extensions.worktreeconfig',
]);

/** Keys of [remote "name"] that leave a push to its url as it is. */
const PLAIN_REMOTE_KEYS = new Set([
  'url',
  'fetch',
  'push',
  'tagopt',
  'prune',
  'prunetags',
  'skipdefaultupdate',
  'skipfetchall',
  'promisor',
  'partialclonefilter',
  'uploadpack',
]);

/** The route of a push to remote `name`, or undefined when `git push` must run. */
export function pushRoute(name: string, commonDir: string, env: NodeJS.ProcessEnv): PushRoute | undefined {
  if (env.HZL_GIT_PUSH === 'git') return undefined;
  for (const key of Object.keys(env)) if (ROUTE_ENV.test(key) && env[key] !== undefined) return undefined;
  const local = readConfig(join(commonDir, 'config'));
  if (local === undefined) return undefined;
  const urls: string[] = [];
  for (const entry of local) {
    if (routeChanging(entry)) return undefined;
    if (entry.section !== 'remote' || entry.subsection !== name) continue;
    if (!PLAIN_REMOTE_KEYS.has(entry.key)) return undefined;
    if (entry.key === 'url') urls.push(entry.value ?? '');
  }
  if (urls.length !== 1 || !urls[0]) return undefined; // git pushes to every url; an empty one is git's to judge
  for (const path of outerConfigFiles(env)) {
    const entries = readConfig(path);
    if (entries === undefined) return undefined;
    // The remote set or extended outside the clone's config is beyond what is read here.
    if (entries.some((e) => routeChanging(e) || (e.section === 'remote' && e.subsection === name))) return undefined;
  }
  return routeOfUrl(urls[0]);
}

/** The route of one URL, as git's transport would take it; undefined for the ones hzl leaves to git. */
export function routeOfUrl(url: string): PushRoute | undefined {
  if (url.includes('%')) return undefined; // escapes: git decodes some, not all; leave it to git
  const daemon = /^git:\/\/(\[[^\]/]+\]|[^/:@[\]]+)(?::(\d{1,5}))?(\/.*)$/.exec(url);
  if (daemon) {
    const [, bracketed, port, path] = daemon as unknown as [string, string, string | undefined, string];
    const host = bracketed.startsWith('[') ? bracketed.slice(1, -1) : bracketed;
    const number = port === undefined ? 9418 : Number(port);
    if (number < 1 || number > 65535) return undefined;
    return {
      kind: 'daemon',
      host,
      port: number,
      path,
      hostHeader: port === undefined ? bracketed : `${bracketed}:${port}`,
    };
  }
  if (url.startsWith('file:///')) return { kind: 'local', path: url.slice('file://'.length) };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(url) || url.includes('::')) return undefined; // ssh, http(s), helpers
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  // git reads host:path (no slash before the colon) as ssh.
  if (colon !== -1 && (slash === -1 || colon < slash)) return undefined;
  return { kind: 'local', path: url };
}

function routeChanging(entry: ConfigEntry): boolean {
  return ROUTE_SECTIONS.has(entry.section) || ROUTE_KEYS.has(`${entry.section}.${entry.key}`);
}

/** The system and global config files git reads, as the environment sets them. */
function outerConfigFiles(env: NodeJS.ProcessEnv): string[] {
  const files: string[] = [];
  if (!truthy(env.GIT_CONFIG_NOSYSTEM)) {
    if (env.GIT_CONFIG_SYSTEM !== undefined) files.push(env.GIT_CONFIG_SYSTEM);
    else files.push('/etc/gitconfig', ...systemConfigBesideGit(env));
  }
  if (env.GIT_CONFIG_GLOBAL !== undefined) files.push(env.GIT_CONFIG_GLOBAL);
  else {
    const home = env.HOME ?? '';
    files.push(join(env.XDG_CONFIG_HOME || join(home, '.config'), 'git', 'config'), join(home, '.gitconfig'));
  }
  return files.filter(Boolean);
}

/** A git installed under a prefix other than /usr reads <prefix>/etc/gitconfig (Homebrew, /usr/local). */
function systemConfigBesideGit(env: NodeJS.ProcessEnv): string[] {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      if (!statSync(join(dir, 'git')).isFile()) continue;
    } catch {
      continue;
    }
    const prefix = dirname(dir);
    return prefix === '/usr' || prefix === '/' ? [] : [join(prefix, 'etc', 'gitconfig')];
  }
  return [];
}

/** The entries of a config file; [] when there is none, undefined when it cannot be read. */
function readConfig(path: string): ConfigEntry[] | undefined {
  try {
    return configEntries(readFileSync(path, 'utf8'));
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? [] : undefined;
  }
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}
