// Files in the tasks folder named like task files but with an id of 10 digits or more: the
// folder listing (store/task-folder.ts) cannot take them for tasks, so only `hzl doctor` sees them.

import { readdirSync } from 'node:fs';

const LONG_ID_NAME = /^[1-9]\d{9,}(?:-[^/\\]*)?\.md$/;

export function namesWithLongIds(tasksDir: string): string[] {
  try {
    return readdirSync(tasksDir)
      .filter((name) => LONG_ID_NAME.test(name))
      .sort();
  } catch {
    return []; // a missing or unreadable folder is reported by the listing itself
  }
}
