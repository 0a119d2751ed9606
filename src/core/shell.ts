// Words that hzl prints into a command for people to paste: quoted for a POSIX shell when needed.

const PLAIN = /^[A-Za-z0-9_@%+=:,./#-]+$/;

/** `Alice Dev` → `'Alice Dev'`, `it's` → `'it'\''s'`; a plain word stays as it is. */
export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellCommand(words: string[]): string {
  return words.map(shellWord).join(' ');
}
