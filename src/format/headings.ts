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
