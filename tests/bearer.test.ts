import { parseBearer } from '../core/auth/bearer';

/** Unit tests of core/auth/bearer.ts (no system started). */
describe('parseBearer', () => {
  it('returns the token of a Bearer value, the scheme in any case', () => {
    expect(parseBearer('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(parseBearer('bearer abc')).toBe('abc');
    expect(parseBearer('BEARER abc')).toBe('abc');
    expect(parseBearer('BeArEr abc')).toBe('abc');
  });

  it('is null when the value is missing or empty', () => {
    expect(parseBearer(undefined)).toBeNull();
    expect(parseBearer(null)).toBeNull();
    expect(parseBearer('')).toBeNull();
  });

  it('is null for another scheme or a Bearer without a token', () => {
    expect(parseBearer('Basic dXNlcjpwYXNz')).toBeNull();
    expect(parseBearer('Token abc')).toBeNull();
    expect(parseBearer('Bearer')).toBeNull();
    expect(parseBearer('Bearer ')).toBeNull();
    expect(parseBearer('Bearerabc')).toBeNull();
    expect(parseBearer(' Bearer abc')).toBeNull();
    expect(parseBearer('abc')).toBeNull();
  });

  it('takes everything after the one separating space as the token (extra spaces make a token that fails verification)', () => {
    expect(parseBearer('Bearer  abc')).toBe(' abc');
    expect(parseBearer('Bearer abc ')).toBe('abc ');
    expect(parseBearer('Bearer a b')).toBe('a b');
    expect(parseBearer('Bearer abc\nX-Injected: 1')).toBeNull();
  });
});
