// The hzl block in AGENTS.md: written once, refreshed in place, text around it left alone.
// Only a whole block (a begin marker, then the next end marker, no other begin marker between)
// is ever replaced: a marker on its own is the user's text like any other.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBytes, encodeText } from '../core/bytes.js';
import { AGENTS_BLOCK_BEGIN, AGENTS_BLOCK_END, AGENT_GUIDE } from '../format/templates.js';
import { writeFileAtomic } from './atomic.js';
import { realPathInside } from './inside.js';

export type AgentsResult = 'created' | 'updated' | 'unchanged';

// Any hzl begin marker, whatever an older version wrote after `hzl:begin`.
const BEGIN = AGENTS_BLOCK_BEGIN.slice(0, 15);

export function writeAgentsBlock(root: string): { file: string; result: AgentsResult } {
  const file = join(root, 'AGENTS.md');
  const block = `${AGENTS_BLOCK_BEGIN}\n${AGENT_GUIDE}${AGENTS_BLOCK_END}\n`;
  // AGENTS.md is often a link to (or from) CLAUDE.md: write the file it links to, keep the link,
  // as long as it stays inside the repository.
  const target = realPathInside(root, file, 'AGENTS.md');
  if (!existsSync(target)) {
    writeFileAtomic(target, `# Agent instructions\n\n${block}`);
    return { file, result: 'created' };
  }
  const current = decodeBytes(readFileSync(target));
  // A file written with CRLF gets its block with CRLF too.
  const eol = current.includes('\r\n') ? '\r\n' : '\n';
  const ours = eol === '\n' ? block : block.replace(/\n/g, eol);
  const found = findBlock(current);
  let next: string;
  if (found) {
    const after = current.slice(found.end).replace(/^\r?\n/, '');
    next = `${current.slice(0, found.start)}${ours}${after}`;
  } else {
    const sep = current === '' ? '' : current.endsWith(eol + eol) ? '' : current.endsWith('\n') ? eol : eol + eol;
    next = `${current}${sep}${ours}`;
  }
  if (next === current) return { file, result: 'unchanged' };
  writeFileAtomic(target, encodeText(next), 'AGENTS.md');
  return { file, result: 'updated' };
}

/** The first whole hzl block: from its begin marker to the end of its end marker. */
function findBlock(text: string): { start: number; end: number } | undefined {
  for (let from = 0; ; ) {
    const end = text.indexOf(AGENTS_BLOCK_END, from);
    if (end === -1) return undefined;
    const start = text.lastIndexOf(BEGIN, end);
    if (start >= from) return { start, end: end + AGENTS_BLOCK_END.length };
    from = end + AGENTS_BLOCK_END.length;
  }
}
