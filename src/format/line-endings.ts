// Line endings kept. Task files are parsed and rendered with LF; a file that had CRLF lines gets
// them back on writing: every line kept from the file keeps its own ending, and lines hzl writes
// take the ending most of the file's lines had (ties go to CRLF). Lines are matched with a diff,
// so a file with mixed endings changes only the lines hzl meant to change.

/** `text` (LF) with the endings of `original` (as read, any endings) restored. */
export function restoreLineEndings(original: string, text: string): string {
  if (!original.includes('\r\n')) return text;
  const old = original.split('\n');
  const endings = old.map((line, i) => (i === old.length - 1 ? '' : line.endsWith('\r') ? '\r\n' : '\n'));
  const crlf = endings.filter((e) => e === '\r\n').length;
  const lf = endings.filter((e) => e === '\n').length;
  const fresh = crlf >= lf ? '\r\n' : '\n';
  const oldLines = old.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const newLines = text.split('\n');
  const matched = matchLines(oldLines, newLines);
  let out = '';
  for (let i = 0; i < newLines.length; i++) {
    if (i === newLines.length - 1) return out + newLines[i]; // after the last newline
    const from = matched[i]!;
    out += newLines[i] + (from >= 0 && endings[from] ? endings[from] : fresh);
  }
  return out;
}

/** For each line of `b`, the line of `a` it is kept from, or -1 for a new line. */
export function matchLines(a: string[], b: string[]): Int32Array {
  const match = new Int32Array(b.length).fill(-1);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) match[start] = start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) match[--endB] = --endA;
  const middle = diagonals(a.slice(start, endA), b.slice(start, endB));
  for (const [x, y] of middle) match[start + y] = start + x;
  return match;
}

// Beyond this many differing lines, the rest counts as rewritten: the cost grows with its square.
const MAX_EDITS = 1000;

/** Myers' diff: the pairs [i, j] with a[i] === b[j] of a longest common subsequence. */
function diagonals(a: string[], b: string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return [];
  const limit = Math.min(n + m, MAX_EDITS);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, offset, n, m);
    }
  }
  return [];
}

function backtrack(trace: Int32Array[], offset: number, n: number, m: number): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = d === 0 ? 0 : k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) pairs.push([--x, --y]);
    x = prevX;
    y = prevY;
  }
  return pairs;
}
