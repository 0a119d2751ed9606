// Files `hzl init` writes. The README explains the format to anyone reading the files without hzl.

export const HZL_README = `# .hzl — task ledger

This folder is written by [hzl](https://www.npmjs.com/package/hzl), a task ledger for AI coding
agents. You can read every task without the tool.

- \`tasks/N-slug.md\` is task N. The \`id\` in its front-matter is the truth; the file name keeps the
  title it had when created.
- Front-matter: \`id\`, \`title\`, \`status\` (backlog, ready, in_progress, blocked, done, archived),
  \`priority\` (0-3, higher is more urgent), \`author\` (the agent holding the claim, or who did the
  work), \`tags\`, \`depends_on\` (task ids), \`parent\`, \`lease_until\`, \`created\`, \`updated\` (UTC).
- Below it, the description in free Markdown.
- \`## Checkpoints\`: one line per checkpoint, \`- [time] author: text\`, oldest first. The newest
  checkpoint says where the work stands; a line starting \`HANDOFF:\` is a note for the next agent.
  Further lines of a checkpoint are indented two spaces.
- \`## History\`: one line per status change (created, claimed, released, completed, ...).

Both sections are append-only. To resume a task, read its newest checkpoints first, or run
\`hzl task show N\`.

Common commands: \`hzl task list --status in_progress\`, \`hzl task claim N --author NAME\`,
\`hzl task checkpoint N "what is done, what is next"\`, \`hzl task complete N\`.
`;

export const HZL_GITIGNORE = `# Local state when this repository is not a git checkout.
.local/
`;

export const GITATTRIBUTES_LINES = ['.hzl/** text eol=lf'];
