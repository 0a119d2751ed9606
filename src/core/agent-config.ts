// The JSON settings hzl merges into agents' config files: Claude Code's hooks and the
// `mcpServers` entry of Cursor and Gemini CLI. Entries are recognised as hzl's by their command,
// so a rerun replaces them and removal takes out only them; everything else is left as it was.

export type Json = Record<string, unknown>;

export const HOOK_COMMANDS = {
  start: 'hzl prime --hook',
  stop: 'hzl prime --stop-hook',
} as const;

interface HookGroup {
  matcher?: string;
  hooks?: Array<{ type?: string; command?: string }>;
}

/** Claude Code's hook groups that hzl adds, by event. */
const CLAUDE_HOOKS: Record<string, HookGroup> = {
  // startup, resume, /clear and after compaction: every time the context starts afresh.
  SessionStart: { matcher: 'startup|resume|clear|compact', hooks: [{ type: 'command', command: HOOK_COMMANDS.start }] },
  Stop: { hooks: [{ type: 'command', command: HOOK_COMMANDS.stop }] },
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function isOurs(group: unknown): boolean {
  if (!isObject(group) || !Array.isArray(group.hooks) || group.hooks.length === 0) return false;
  return group.hooks.every((h) => isObject(h) && typeof h.command === 'string' && h.command.startsWith('hzl prime --'));
}

/** A problem with the file's shape that hzl will not guess around, or undefined. */
export function claudeSettingsProblem(settings: unknown): string | undefined {
  if (!isObject(settings)) return 'is not a JSON object';
  if (settings.hooks !== undefined && !isObject(settings.hooks)) return "has a 'hooks' that is not an object";
  for (const event of Object.keys(CLAUDE_HOOKS)) {
    const list = (settings.hooks as Json | undefined)?.[event];
    if (list !== undefined && !Array.isArray(list)) return `has a 'hooks.${event}' that is not a list`;
  }
  return undefined;
}

/** The settings with hzl's hook groups taken out (and containers hzl's groups alone filled removed). */
export function withoutClaudeHooks(settings: Json): Json {
  if (!isObject(settings.hooks)) return settings;
  const hooks: Json = { ...settings.hooks };
  let removed = false;
  for (const event of Object.keys(CLAUDE_HOOKS)) {
    const list = hooks[event];
    if (!Array.isArray(list)) continue;
    const kept = list.filter((g) => !isOurs(g));
    if (kept.length === list.length) continue;
    removed = true;
    if (kept.length) hooks[event] = kept;
    else delete hooks[event];
  }
  if (!removed) return settings;
  const out: Json = { ...settings, hooks };
  if (Object.keys(hooks).length === 0) delete out.hooks;
  return out;
}

/** The settings with hzl's hook groups: where they were, else after the user's groups. */
export function withClaudeHooks(settings: Json): Json {
  const hooks: Json = isObject(settings.hooks) ? { ...settings.hooks } : {};
  for (const [event, group] of Object.entries(CLAUDE_HOOKS)) {
    const list = (hooks[event] as unknown[] | undefined) ?? [];
    const at = list.findIndex(isOurs);
    const others = list.filter((g) => !isOurs(g));
    hooks[event] = at === -1 ? [...others, group] : [...others.slice(0, at), group, ...others.slice(at)];
  }
  return { ...settings, hooks };
}

/** The MCP server entry an agent starts: `hzl mcp`. */
export const MCP_SERVER = { command: 'hzl', args: ['mcp'] };

export function mcpServersProblem(config: unknown): string | undefined {
  if (!isObject(config)) return 'is not a JSON object';
  if (config.mcpServers !== undefined && !isObject(config.mcpServers)) return "has an 'mcpServers' that is not an object";
  return undefined;
}

export function withMcpServer(config: Json): Json {
  return { ...config, mcpServers: { ...((config.mcpServers as Json | undefined) ?? {}), hzl: MCP_SERVER } };
}

export function withoutMcpServer(config: Json): Json {
  if (!isObject(config.mcpServers) || !('hzl' in config.mcpServers)) return config;
  const servers: Json = { ...config.mcpServers };
  delete servers.hzl;
  const out: Json = { ...config, mcpServers: servers };
  if (Object.keys(servers).length === 0) delete out.mcpServers;
  return out;
}
