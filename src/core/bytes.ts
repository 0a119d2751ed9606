// File bytes as text, losslessly. A file may hold bytes that are not UTF-8 (a description pasted
// from a Latin-1 editor); hzl must write them back as they were, not as U+FFFD. Each byte that is
// not part of a valid UTF-8 sequence becomes the lone surrogate U+DC80–U+DCFF (as Python's
// "surrogateescape" does), which no valid UTF-8 decodes to, and goes back to its byte on encoding.

import { isUtf8 } from 'node:buffer';

const ESCAPED = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/;
const ESCAPED_ALL = /(?<![\uD800-\uDBFF])[\uDC80-\uDCFF]/g;

export function decodeBytes(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let out = '';
  let run = 0; // start of the current run of valid UTF-8
  for (let i = 0; i < bytes.length; ) {
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    out += bytes.toString('utf8', run, i) + String.fromCharCode(0xdc00 + bytes[i]!);
    run = ++i;
  }
  return out + bytes.toString('utf8', run);
}

export function encodeText(text: string): Buffer {
  if (!ESCAPED.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  for (const m of text.matchAll(ESCAPED_ALL)) {
    parts.push(Buffer.from(text.slice(from, m.index), 'utf8'), Buffer.of(m[0].charCodeAt(0) - 0xdc00));
    from = m.index! + 1;
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** What a reader shows for text with escaped bytes: U+FFFD, as any UTF-8 decoder would. */
export function displayText(text: string): string {
  return ESCAPED.test(text) ? text.replace(ESCAPED_ALL, '\uFFFD') : text;
}

/** The length of the valid UTF-8 sequence at `i`, or 0 when the byte there starts none. */
function sequenceLength(b: Buffer, i: number): number {
  const first = b[i]!;
  if (first < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => i + j < b.length && b[i + j]! >= lo && b[i + j]! <= hi;
  if (first >= 0xc2 && first <= 0xdf) return cont(1) ? 2 : 0;
  if (first >= 0xe0 && first <= 0xef) {
    // No overlong forms (E0 needs A0+), no surrogates (ED needs at most 9F).
    const lo = first === 0xe0 ? 0xa0 : 0x80;
    const hi = first === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (first >= 0xf0 && first <= 0xf4) {
    const lo = first === 0xf0 ? 0x90 : 0x80;
    const hi = first === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}
