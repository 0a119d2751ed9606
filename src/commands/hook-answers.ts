// What each agent's hooks read on stdout, for `hzl prime --hook` (session start) and
// `hzl prime --stop-hook` (the agent is about to stop). Claude Code takes plain text at session
// start and `{decision: "block", reason}` at Stop; Cursor takes `{additional_context}` at
// sessionStart and `{followup_message}` at stop; Gemini CLI takes
// `{hookSpecificOutput: {hookEventName: "SessionStart", additionalContext}}` at SessionStart and
// `{decision: "deny", reason}` at AfterAgent. The JSON-speaking agents get `{}` for nothing.

export const HOOK_AGENTS = ['claude', 'cursor', 'gemini'] as const;
export type HookAgent = (typeof HOOK_AGENTS)[number];

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

/** The session-start answer carrying `text` into the context (undefined: print nothing). */
export function startAnswer(agent: HookAgent, text: string | undefined): string | undefined {
  if (agent === 'claude') return text;
  if (text === undefined) return line({});
  if (agent === 'cursor') return line({ additional_context: text });
  return line({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: text } });
}

/** The stop answer that sends `reason` to the agent before it stops (undefined: print nothing). */
export function stopAnswer(agent: HookAgent, reason: string | undefined): string | undefined {
  if (reason === undefined) return agent === 'claude' ? undefined : line({});
  if (agent === 'claude') return line({ decision: 'block', reason });
  if (agent === 'cursor') return line({ followup_message: reason });
  return line({ decision: 'deny', reason });
}

/**
 * Whether this stop comes after a reminder already (ask once), or after the user cut the turn
 * short: Claude Code and Gemini CLI say `stop_hook_active`; Cursor counts `loop_count` (the
 * follow-ups already sent) and says `status` ("completed", "aborted", "error").
 */
export function askedAlready(agent: HookAgent, stdin: string): boolean {
  let input: { stop_hook_active?: unknown; loop_count?: unknown; status?: unknown };
  try {
    input = JSON.parse(stdin) ?? {};
  } catch {
    return false;
  }
  if (agent !== 'cursor') return input.stop_hook_active === true;
  const looped = typeof input.loop_count === 'number' && input.loop_count > 0;
  return looped || (input.status !== undefined && input.status !== 'completed');
}
