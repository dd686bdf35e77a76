import { describe, expect, it } from 'vitest';
import { parseConnectionString, tokenizeConnectionString } from '../../src/config/index.ts';

describe('connection strings', () => {
  it('splits Name=Value pairs, trimming unquoted parts and skipping empty segments', () => {
    expect(parseConnectionString(' AuthScheme = Basic ;;URL=https://x/a?b=c; ')).toEqual([
      ['AuthScheme', 'Basic'],
      ['URL', 'https://x/a?b=c'],
    ]);
  });

  it('unquotes single and double quotes, with doubled quotes as escapes', () => {
    expect(parseConnectionString(`A='x;y';B="say ""hi""";C='it''s';D=''`)).toEqual([
      ['A', 'x;y'],
      ['B', 'say "hi"'],
      ['C', "it's"],
      ['D', ''],
    ]);
  });

  it('tokenizes malformed input without throwing', () => {
    expect(tokenizeConnectionString("User;Password='abc")).toEqual([
      { name: 'User', value: '', problem: 'missing-equals' },
      { name: 'Password', value: 'abc', problem: 'unterminated-quote' },
    ]);
  });

  it('rejects malformed input in strict mode, naming the source', () => {
    expect(() => parseConnectionString('=x', 'my source')).toThrow(/my source/);
    expect(() => parseConnectionString('User')).toThrow(/"User"/);
  });
});
