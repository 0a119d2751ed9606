// The JSON settings hzl merges into agents' config files: the hooks of Claude Code, Cursor and
// Gemini CLI, and the `mcpServers` entry of Cursor and Gemini CLI. Entries are recognised as hzl's
// by their command, so a rerun replaces them and removal takes out only them; everything else is
// left as it was.

export type Json = Record<string, unknown>;

export const HOOK_COMMANDS = {
  start: 'hzl prime --hook',
  stop: 'hzl prime --stop-hook',
} as const;

/** What hzl adds to a settings file's `hooks` object: one entry per event. */
export type HookTable = Record<string, Json>;

const command = (line: string) => ({ type: 'command', command: line });

/** Claude Code's hook groups that hzl adds, by event. */
export const CLAUDE_HOOKS: HookTable = {
  // startup, resume, /clear and after compaction: every time the context starts afresh.
  SessionStart: { matcher: 'startup|resume|clear|compact', hooks: [command(HOOK_COMMANDS.start)] },
  Stop: { hooks: [command(HOOK_COMMANDS.stop)] },
};

/** Cursor's `.cursor/hooks.json` entries (flat: a command per entry); no event re-injects after compaction. */
export const CURSOR_HOOKS: HookTable = {
  sessionStart: { command: `${HOOK_COMMANDS.start} --agent cursor` },
  stop: { command: `${HOOK_COMMANDS.stop} --agent cursor` },
};

/** Gemini CLI's hook groups in `.gemini/settings.json`; its PreCompress hook cannot add context. */
export const GEMINI_HOOKS: HookTable = {
  // No matcher: startup, resume and /clear.
  SessionStart: { hooks: [{ ...command(`${HOOK_COMMANDS.start} --agent gemini`), name: 'hzl-prime' }] },
  // After every turn, as Claude Code's Stop: a reminder to checkpoint when there is work since.
  AfterAgent: { hooks: [{ ...command(`${HOOK_COMMANDS.stop} --agent gemini`), name: 'hzl-checkpoint-reminder' }] },
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const isOurCommand = (h: unknown) =>
  isObject(h) && typeof h.command === 'string' && h.command.startsWith('hzl prime --');

/** hzl's entry: a flat command (Cursor), or a group all of whose hooks are hzl's (Claude Code, Gemini CLI). */
function isOurs(entry: unknown): boolean {
  if (isOurCommand(entry)) return true;
  if (!isObject(entry) || !Array.isArray(entry.hooks) || entry.hooks.length === 0) return false;
  return entry.hooks.every(isOurCommand);
}

/** A problem with the file's shape that hzl will not guess around, or undefined. */
export function hooksProblem(settings: unknown, table: HookTable): string | undefined {
  if (!isObject(settings)) return 'is not a JSON object';
  if (settings.hooks !== undefined && !isObject(settings.hooks)) return "has a 'hooks' that is not an object";
  for (const event of Object.keys(table)) {
    const list = (settings.hooks as Json | undefined)?.[event];
    if (list !== undefined && !Array.isArray(list)) return `has a 'hooks.${event}' that is not a list`;
  }
  return undefined;
}

/** The settings with hzl's hook entries taken out (and containers hzl's entries alone filled removed). */
export function withoutHooks(settings: Json, table: HookTable): Json {
  if (!isObject(settings.hooks)) return settings;
  const hooks: Json = { ...settings.hooks };
  let removed = false;
  for (const event of Object.keys(table)) {
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

/** The settings with hzl's hook entries: where they were, else after the user's entries. */
export function withHooks(settings: Json, table: HookTable): Json {
  const hooks: Json = isObject(settings.hooks) ? { ...settings.hooks } : {};
  for (const [event, group] of Object.entries(table)) {
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
  if (config.mcpServers !== undefined && !isObject(config.mcpServers))
    return "has an 'mcpServers' that is not an object";
  return undefined;
}

/**
 * Adds hzl's entry, or keeps the one there: what the user put in it (`env`, `-C DIR` in `args`)
 * is theirs, and a rerun only fills in what is missing.
 */
export function withMcpServer(config: Json): Json {
  const servers = (config.mcpServers as Json | undefined) ?? {};
  const current = servers.hzl;
  return { ...config, mcpServers: { ...servers, hzl: isObject(current) ? { ...MCP_SERVER, ...current } : MCP_SERVER } };
}

export function withoutMcpServer(config: Json): Json {
  if (!isObject(config.mcpServers) || !('hzl' in config.mcpServers)) return config;
  const servers: Json = { ...config.mcpServers };
  delete servers.hzl;
  const out: Json = { ...config, mcpServers: servers };
  if (Object.keys(servers).length === 0) delete out.mcpServers;
  return out;
}
