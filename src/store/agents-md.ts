// The hzl block in AGENTS.md that `hzl init --agents` writes: the same marked block, written by
// the same code, as `hzl setup codex`, so that either one refreshes it and `setup codex --remove`
// gives back the file as it was before either wrote it.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBytes, encodeText } from '../core/bytes.js';
import { withBlock } from '../core/marked-block.js';
import { AGENTS_MARKERS, AGENT_GUIDE } from '../format/templates.js';
import { writeFileAtomic } from './atomic.js';
import { realPathInside } from './inside.js';

export type AgentsResult = 'created' | 'updated' | 'unchanged';

export function writeAgentsBlock(root: string): { file: string; result: AgentsResult } {
  const file = join(root, 'AGENTS.md');
  // AGENTS.md is often a link to (or from) CLAUDE.md: write the file it links to, keep the link,
  // as long as it stays inside the repository.
  const target = realPathInside(root, file, 'AGENTS.md');
  const current = existsSync(target) ? decodeBytes(readFileSync(target)) : undefined;
  // A new AGENTS.md holds the block alone, as `setup codex` writes it: removing the block removes the file.
  const next = withBlock(current ?? '', AGENT_GUIDE, AGENTS_MARKERS);
  if (next === current) return { file, result: 'unchanged' };
  writeFileAtomic(target, encodeText(next), 'AGENTS.md');
  return { file, result: current === undefined ? 'created' : 'updated' };
}
