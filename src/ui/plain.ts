// The board as plain text, for a pipe or a file: one section per column, one line per task,
// no escape codes. `hzl board` prints this when stdin or stdout is not a terminal.

import { type BoardFilter, type BoardTask, cardDetail, columnsOf, oneLine } from './model.js';

export function renderPlainBoard(tasks: BoardTask[], now: Date, filter: BoardFilter = {}): string {
  const out: string[] = [];
  for (const column of columnsOf(tasks, filter)) {
    if (out.length) out.push('');
    out.push(`${column.title} (${column.tasks.length})`);
    if (column.tasks.length === 0) out.push('  -');
    for (const t of column.tasks) out.push(`  #${t.id} ${oneLine(t.title)} (${oneLine(cardDetail(t, now))})`);
  }
  return `${out.join('\n')}\n`;
}
