import { join } from 'node:path';

/**
 * jest maps `bcryptjs` here (jest.config.js): the code's cost 10 costs ~100 ms of pure-JS CPU per
 * hash and per compare, and the suite logs in and creates users thousands of times. Hashes are
 * made at cost 4 instead; compare() reads the cost from the hash, so verification is unchanged.
 * tests/password-hash.test.ts asserts that the code still asks for its production cost.
 */
type Bcrypt = typeof import('bcryptjs');
// A path, not the name: the name is mapped to this file.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a computed path, which import cannot take
const real = require(join(__dirname, '../../node_modules/bcryptjs/umd/index.js')) as Bcrypt;

export const TEST_COST = 4;
/** Every cost the code asked for, in order (per test file: jest gives each its own modules). */
export const requestedCosts: number[] = [];

function cap<T>(salt: T): T {
  if (typeof salt !== 'number') return salt;
  requestedCosts.push(salt);
  return Math.min(salt, TEST_COST) as T;
}

const fast: Bcrypt = {
  ...real,
  hash: ((s: string, salt: number | string, ...rest: unknown[]) => (real.hash as (...a: unknown[]) => unknown)(s, cap(salt), ...rest)) as Bcrypt['hash'],
  hashSync: ((s: string, salt?: number | string) => real.hashSync(s, cap(salt))) as Bcrypt['hashSync'],
  genSalt: ((rounds?: number, ...rest: unknown[]) => (real.genSalt as (...a: unknown[]) => unknown)(cap(rounds), ...rest)) as Bcrypt['genSalt'],
  genSaltSync: ((rounds?: number) => real.genSaltSync(cap(rounds))) as Bcrypt['genSaltSync'],
};

export default fast;
