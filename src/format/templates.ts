// Files `hzl init` writes. The README explains the format to anyone reading the files without hzl.

import type { Markers } from '../core/marked-block.js';

export const HZL_README = `# .hzl — task ledger

This folder is written by [hzl](https://www.npmjs.com/package/hzl), a task ledger for AI coding
agents. You can read and write every task without the tool.

- \`tasks/N-slug.md\` is task N. The \`id\` in its front-matter is the truth; the file name keeps the
  title it had when created.
- Front-matter: \`id\`, \`title\`, \`status\` (backlog, ready, in_progress, blocked, done, archived),
  \`priority\` (0-3, higher is more urgent), \`author\` (the agent holding the claim, or who did the
  work), \`tags\`, \`depends_on\` (task ids), \`parent\`, \`lease_until\`, \`created\`, \`updated\` (UTC).
- Below it, the description in free Markdown.
- \`## History\`: one line per status change (created, claimed, released, completed, ...).
- \`## Checkpoints\`, the last section: one line per checkpoint, \`- [time] author: text\`, oldest
  first. The newest says where the work stands; one starting \`HANDOFF:\` is a note for the next
  agent. Further lines of a checkpoint are indented two spaces.

To resume a task, read its newest checkpoints first, or run \`hzl task show N\`.

## Writing by hand

Both sections are append-only: add lines, never edit or remove them.

- A checkpoint: append one line to the file (times in UTC, or with an offset):
  \`echo "- [2024-01-15T16:00:00Z] your-name: Added tests; next: docs" >> .hzl/tasks/N-slug.md\`
- A handoff: the same, with the text starting \`HANDOFF: \` (done, remaining, files to read).
- A status change: edit \`status:\` (and \`author:\`, \`updated:\`) in the front-matter, and add a
  line under \`## History\` such as \`- [time] your-name: completed (in_progress → done)\`.
- \`hzl doctor\` checks every file and names each line it cannot read, with file:line and the fix.

Common commands: \`hzl task list --status in_progress\`, \`hzl task claim N --author NAME\`,
\`hzl task checkpoint N "what is done, what is next"\`, \`hzl task complete N\`.
`;

export const HZL_GITIGNORE = `# Local state when this repository is not a git checkout.
.local/
# Temp files of a write that was killed before its rename.
tasks/.*.tmp
`;

export const GITATTRIBUTES_LINES = ['.hzl/** text eol=lf', '.hzl/tasks/*.md merge=hzl'];

/** The workflow an agent follows; `hzl prime` prints it, `hzl init --agents` puts it in AGENTS.md. */
export const AGENT_GUIDE = `## Working with hzl tasks

This repository tracks work in \`.hzl/tasks/*.md\` with hzl. Your context ends with your session;
your checkpoints are what the next session (yours or another agent's) starts from.

1. **Find work.** \`hzl task list --author <you>\` shows what you already hold; resume that first
   (\`hzl task show N\` prints the context, the newest HANDOFF note on top). Otherwise take the best
   available task: \`hzl task claim --next --author <you>\` (or \`hzl task claim N --author <you>\`).
   Set \`HZL_AUTHOR=<you>\` once instead of repeating \`--author\`.
2. **Checkpoint as you go**, at natural breakpoints, not every commit:
   \`hzl task checkpoint N "…"\`. A good checkpoint says
   - what is done (components, steps),
   - what is next (the immediate next action),
   - key decisions and why,
   - blockers,
   - file references.
   Good: "Auth middleware complete (auth_middleware.rb). Next: add rate limiting. Using Redis
   for token storage per team decision." Not helpful: "Working on it".
   Several lines: \`hzl task checkpoint N - <<'EOF'\` … \`EOF\`.
   A checkpoint also renews your claim's lease.
3. **Finish or hand over.**
   - Done: \`hzl task complete N -m "what shipped, where"\`.
   - Stopping before done: \`hzl task handoff N "Done: … Remaining: … See: …" [--to agent]\`.
   - Stuck on something outside your control: \`hzl task block N --reason "…"\`.
   - Giving it back untouched: \`hzl task release N\`.
4. **Other agents' work.** \`hzl task stuck\` lists claims whose lease expired;
   \`hzl task steal N --if-expired --author <you>\` takes one over. \`hzl task search TEXT\` finds
   earlier decisions.

Every command takes \`--json\`. Exit codes: 0 ok, 2 usage, 3 not found, 4 conflict (already
claimed: pick another task), 5 invalid data, 6 git.
`;

export const AGENTS_BLOCK_BEGIN = '<!-- hzl:begin (written by `hzl init --agents`; edits inside are replaced) -->';
export const AGENTS_BLOCK_END = '<!-- hzl:end -->';

/** The AGENTS.md block's markers, shared by `init --agents` and `setup codex` so both refresh one block. */
export const AGENTS_MARKERS: Markers = {
  beginPrefix: AGENTS_BLOCK_BEGIN.slice(0, 15), // any hzl begin marker, whatever an older version wrote after it
  begin: AGENTS_BLOCK_BEGIN,
  end: AGENTS_BLOCK_END,
};
