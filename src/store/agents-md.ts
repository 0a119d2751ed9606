// The hzl block in AGENTS.md: written once, refreshed in place, text around it left alone.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENTS_BLOCK_BEGIN, AGENTS_BLOCK_END, AGENT_GUIDE } from '../format/templates.js';
import { writeFileAtomic } from './atomic.js';

export type AgentsResult = 'created' | 'updated' | 'unchanged';

export function writeAgentsBlock(root: string): { file: string; result: AgentsResult } {
  const file = join(root, 'AGENTS.md');
  const block = `${AGENTS_BLOCK_BEGIN}\n${AGENT_GUIDE}${AGENTS_BLOCK_END}\n`;
  if (!existsSync(file)) {
    writeFileAtomic(file, `# Agent instructions\n\n${block}`);
    return { file, result: 'created' };
  }
  const current = readFileSync(file, 'utf8');
  const start = current.indexOf(AGENTS_BLOCK_BEGIN.slice(0, 15));
  const end = current.indexOf(AGENTS_BLOCK_END, start);
  let next: string;
  if (start !== -1 && end !== -1) {
    const after = current.slice(end + AGENTS_BLOCK_END.length).replace(/^\n/, '');
    next = `${current.slice(0, start)}${block}${after}`;
  } else {
    const sep = current === '' ? '' : current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n';
    next = `${current}${sep}${block}`;
  }
  if (next === current) return { file, result: 'unchanged' };
  writeFileAtomic(file, next);
  return { file, result: 'updated' };
}
