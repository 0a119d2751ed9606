// A description line that reads like a section heading hzl owns is stored with a backslash in
// front (Markdown shows `\## History` as the text `## History`), so the raw file shows each
// section once. A line that already has backslashes there gets one more; reading takes one off.

const ESCAPED = /^(\\*)(## (?:Checkpoints|History)[ \t]*)$/gm;
const RAW_HEADING = /^(## (?:Checkpoints|History)[ \t]*)$/gm;

/** A description as stored: every heading-like line gets one more backslash. */
export function escapeOwnedHeadings(description: string): string {
  return description.replace(ESCAPED, (_, slashes: string, rest: string) => `\\${slashes}${rest}`);
}

/** A description as read: one backslash off each escaped heading-like line. */
export function unescapeOwnedHeadings(description: string): string {
  return description.replace(ESCAPED, (line: string, slashes: string, rest: string) =>
    slashes === '' ? line : `${slashes.slice(1)}${rest}`,
  );
}

/**
 * Raw description text kept from a file: a bare heading line (written by hand, read as part of
 * the description) gets its backslash, so it reads back as the same description.
 */
export function escapeRawHeadings(raw: string): string {
  return raw.replace(RAW_HEADING, (line: string) => `\\${line}`);
}

const CHECKPOINTS = '## Checkpoints';
const HISTORY = '## History';
/** Compiled once: a listing locates the sections of thousands of files. */
const HEADING_LINE: Record<string, RegExp> = {
  [CHECKPOINTS]: new RegExp(`^${CHECKPOINTS}[ \\t]*$`, 'gm'),
  [HISTORY]: new RegExp(`^${HISTORY}[ \\t]*$`, 'gm'),
};

/**
 * The two section headings. The one that comes last ends the file; the other is the last of its
 * kind before it. Earlier lines that read the same belong to the description (written by hand).
 */
export function locateSections(body: string) {
  const find = (header: string, before: number) => {
    let found: { start: number; end: number } | undefined;
    const re = HEADING_LINE[header]!;
    re.lastIndex = 0;
    for (let m = re.exec(body); m && m.index < before; m = re.exec(body)) {
      const end = m.index + m[0].length + 1;
      found = { start: m.index, end: Math.min(end, body.length) };
    }
    return found;
  };
  const lastHistory = find(HISTORY, body.length);
  const lastCheckpoints = find(CHECKPOINTS, body.length);
  if (lastCheckpoints && (!lastHistory || lastCheckpoints.start > lastHistory.start)) {
    return { checkpoints: lastCheckpoints, history: find(HISTORY, lastCheckpoints.start) };
  }
  return { history: lastHistory, checkpoints: find(CHECKPOINTS, lastHistory?.start ?? body.length) };
}
