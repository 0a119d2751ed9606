// Input checks of core/validate.ts that the CLI tests cannot reach easily.

import { describe, expect, it } from 'vitest';
import { checkAuthor, checkText, checkTitle, parseTaskId } from '../src/core/validate.js';

describe('validate', () => {
  it('refuses lone surrogates, which cannot be written as UTF-8', () => {
    expect(() => checkText('broken \ud800 text', 'checkpoint')).toThrow(/control character/);
    expect(() => checkTitle('broken \udc00')).toThrow(/control characters/);
    expect(checkText('emoji 😀 ok', 'checkpoint')).toBe('emoji 😀 ok');
  });

  it('refuses line separators in author names', () => {
    expect(() => checkAuthor('a\u2028b')).toThrow(/invalid author/);
    expect(checkAuthor('Jane Doe')).toBe('Jane Doe');
  });

  it('accepts 1 and #1 only', () => {
    expect(parseTaskId('#12')).toBe(12);
    for (const bad of ['0', '-1', '../x', '1.5', '1e3', '', '1234567890'])
      expect(() => parseTaskId(bad)).toThrow(/invalid task id/);
  });
});
