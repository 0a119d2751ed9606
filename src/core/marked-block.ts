// A block hzl owns inside a file someone else writes (CLAUDE.md, AGENTS.md, a TOML config):
// between a begin marker and the next end marker. A rerun replaces it in place; removal takes it
// out with the one separator added before it, so the rest of the file comes back byte for byte.

export interface Markers {
  /** What every hzl begin marker starts with, whatever an older version wrote after it. */
  beginPrefix: string;
  begin: string;
  end: string;
}

/** The first whole block: from its begin marker to the end of its end marker's line. */
export function findBlock(text: string, m: Markers): { start: number; end: number } | undefined {
  for (let from = 0; ; ) {
    const end = text.indexOf(m.end, from);
    if (end === -1) return undefined;
    const start = text.lastIndexOf(m.beginPrefix, end);
    if (start >= from) {
      const after = end + m.end.length;
      const eol = text.startsWith('\r\n', after) ? 2 : text.startsWith('\n', after) ? 1 : 0;
      return { start, end: after + eol };
    }
    from = end + m.end.length;
  }
}

/** The file with hzl's block holding `body`: replaced where it is, else appended. */
export function withBlock(current: string, body: string, m: Markers): string {
  const eol = current.includes('\r\n') ? '\r\n' : '\n';
  const block = `${m.begin}\n${body.endsWith('\n') ? body : `${body}\n`}${m.end}\n`.replace(/\n/g, eol);
  const found = findBlock(current, m);
  if (found) return `${current.slice(0, found.start)}${block}${current.slice(found.end)}`;
  // One line break before the block, whatever the text ends with: what removal takes back.
  const sep = current === '' ? '' : eol;
  return `${current}${sep}${block}`;
}

/** The file without hzl's block (and the separator added with it); unchanged when it has none. */
export function withoutBlock(current: string, m: Markers): string {
  const found = findBlock(current, m);
  if (!found) return current;
  const before = current.slice(0, found.start);
  const after = current.slice(found.end);
  if (after !== '') return before + after; // a block in the middle: the text around it stays
  const eol = before.endsWith('\r\n') ? '\r\n' : '\n';
  return before.endsWith(eol) ? before.slice(0, -eol.length) : before;
}
