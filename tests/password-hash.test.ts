import bcrypt from 'bcryptjs';
import { hashPassword } from '../subgraphs/tenant/auth.service';
import { requestedCosts, TEST_COST } from './helpers/bcrypt-fast';

/**
 * The suite maps bcryptjs to a cheaper cost (tests/helpers/bcrypt-fast.ts); this guards what that
 * would otherwise hide: the code asks for cost 10, for stored hashes and for the dummy hash that
 * makes a login for an unknown email cost as much as a wrong password.
 */
describe('password hashing cost', () => {
  it('asks bcrypt for cost 10 for the dummy hash and for every stored password; hashes verify', async () => {
    expect(requestedCosts).toEqual([10]); // DUMMY_HASH, made when auth.service loads
    const hash = await hashPassword('correct-horse-battery');
    expect(requestedCosts).toEqual([10, 10]);
    expect(hash).toMatch(new RegExp(`^\\$2[aby]\\$0${TEST_COST}\\$`));
    expect(await bcrypt.compare('correct-horse-battery', hash)).toBe(true);
    expect(await bcrypt.compare('correct-horse-batterx', hash)).toBe(false);
  });

  it('verifies a hash stored at the production cost (compare reads the cost from the hash)', async () => {
    const stored = '$2b$10$tGkVUancXxAeRB0GZumrh.08bAY.THfMpPVCJ4lPkeBCneDLUv/q.';
    expect(await bcrypt.compare('correct-horse-battery', stored)).toBe(true);
    expect(await bcrypt.compare('correct-horse-batterx', stored)).toBe(false);
  });
});
