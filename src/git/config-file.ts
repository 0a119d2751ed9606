// The entries of a git config file, read as git reads them, without running git: sections and
// subsections, continued lines, quotes, escapes and comments. Enough to look things up in the
// clone's own config; where a file pulls in others ([include]), callers ask git instead.

export interface ConfigEntry {
  /** The section's name, lower case (`remote`, `url`, `core`). */
  section: string;
  /** The subsection as written (`origin` of [remote "origin"]); undefined when there is none. */
  subsection?: string;
  /** The key, lower case. */
  key: string;
  /** The value, unquoted; undefined for a key with no `=` (a boolean true). */
  value?: string;
}

const SECTION = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/;
const ENTRY = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/;

/** The file's entries in order. */
export function configEntries(text: string): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  let section = '';
  let subsection: string | undefined;
  for (const raw of joinedLines(text)) {
    let line = raw.trim();
    const header = SECTION.exec(line);
    if (header) {
      const name = header[1]!;
      const dot = name.indexOf('.');
      // [section "sub"], or the old [section.sub] whose subsection git reads in lower case.
      section = (dot === -1 ? name : name.slice(0, dot)).toLowerCase();
      subsection =
        header[2] !== undefined
          ? header[2].replace(/\\(.)/g, '$1')
          : dot === -1
            ? undefined
            : name.slice(dot + 1).toLowerCase();
      line = line.slice(header[0].length).trim(); // a key may follow on the same line
    }
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const entry = ENTRY.exec(line);
    if (!entry) continue;
    entries.push({
      section,
      ...(subsection === undefined ? {} : { subsection }),
      key: entry[1]!.toLowerCase(),
      ...(entry[2] === undefined ? {} : { value: configValue(entry[2]) }),
    });
  }
  return entries;
}

/** The file's lines, a line that ends in a backslash outside quotes joined with the next, as git reads them. */
export function joinedLines(text: string): string[] {
  const lines: string[] = [];
  let pending = '';
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const whole = pending + line;
    if (endsInContinuation(whole)) pending = whole.slice(0, -1);
    else {
      lines.push(whole);
      pending = '';
    }
  }
  if (pending) lines.push(pending);
  return lines;
}

/** Whether a line ends in a backslash that escapes the line break (not itself escaped, not in a comment). */
function endsInContinuation(line: string): boolean {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      if (i === line.length - 1) return true;
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '#' || c === ';')) return false;
  }
  return false;
}

/** A value as git reads it: quotes removed, escapes undone, a trailing comment dropped. */
export function configValue(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < raw.length) {
      const next = raw[++i]!;
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return out.trim();
}
