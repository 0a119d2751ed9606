// The cache of ids seen in git history (git/ids.ts): which ref tips were scanned and the highest id
// found, in the state dir. A cache only: a missing or broken file means a full scan.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';

/** What git/ids.ts remembers: the ref tips it scanned and the highest id in them. */
interface Seen {
  tips: string[];
  max: number;
}

export function idsSeenCache(stateDir: string): { read(): unknown; write(seen: Seen): void } {
  const file = join(stateDir, 'ids-seen.json');
  return {
    read: () => {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as unknown;
      } catch {
        return undefined; // no cache yet, or a broken one
      }
    },
    write: (seen) => {
      try {
        writeFileAtomic(file, JSON.stringify(seen));
      } catch {
        // A cache only.
      }
    },
  };
}
