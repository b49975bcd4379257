import { signAccessToken } from '../core/auth/tokens';
import { SERVICE_ROLE } from '../core/permissions/catalog';
import { startSystem, type GqlResult, type System, type TestTenant } from './helpers/system';

// Issue 16 item 4 for credits: every input is checked by class-validator (args classes) and
// every list's `first` by the one page-size rule (core/pagination.ts: 1..200, each list's default).

let sys: System;
let t: TestTenant;
beforeAll(async () => {
  sys = await startSystem();
  t = await sys.createTenant('cr-valid');
  const v = await sys.ok(`mutation { createVendor(input: { name: "Stock", channel: SMS, costPaisePerCredit: 1 }) { id } }`, {}, { token: sys.superToken });
  await sys.ok(
    `mutation($v: ID!) { purchaseCreditsFromVendor(vendorId: $v, credits: 1000, idempotencyKey: "stock-valid") { id } }`,
    { v: v.createVendor.id },
    { token: sys.superToken },
  );
  await sys.ok(
    `mutation($t: ID!) { allocateCredits(input: { tenantId: $t, channel: SMS, amount: 100, idempotencyKey: "alloc-valid" }) { sms } }`,
    { t: t.id },
    { token: sys.superToken },
  );
  // 24 debits + the allocation: 25 applied movements, more than the wallet ledger's default page (20).
  for (let i = 0; i < 24; i++) {
    await sys.ok(
      `mutation($r: String!) { debitCredits(input: { channel: SMS, reference: $r }) { balanceAfter } }`,
      { r: `valid-debit-${i}` },
      { token: t.ownerToken, url: sys.subgraphUrls.credits },
    );
  }
});
afterAll(() => sys?.stop());

/** The refusal a client sees: code and the `field` extension (core/errors.ts maskError). */
const refusal = (res: GqlResult) => ({ data: res.data ?? null, code: res.errors?.[0]?.extensions?.code, field: res.errors?.[0]?.extensions?.field });
const badFirst = { data: null, code: 'BAD_USER_INPUT', field: 'first' };

describe('credits: page sizes follow the one page-size rule (1..200, each list its default)', () => {
  it('Wallet.ledger and creditLedger: default pages (20; creditLedger 50 holds all 25), up to 200, outside 1..200 refused with field "first"', async () => {
    const own = { token: t.ownerToken };
    expect((await sys.ok(`{ wallet { ledger { id } } }`, {}, own)).wallet.ledger).toHaveLength(20);
    expect((await sys.ok(`{ wallet { ledger(first: null) { id } } }`, {}, own)).wallet.ledger).toHaveLength(20);
    expect((await sys.ok(`{ creditLedger { id } }`, {}, own)).creditLedger).toHaveLength(25);
    // 200 was refused before the one rule (max 100); now it is the largest page.
    expect((await sys.ok(`{ creditLedger(first: 200) { id } }`, {}, own)).creditLedger).toHaveLength(25);
    expect((await sys.ok(`{ wallet { ledger(first: 3, channel: SMS) { reason } } }`, {}, own)).wallet.ledger).toEqual([
      { reason: 'message' },
      { reason: 'message' },
      { reason: 'message' },
    ]);
    for (const first of [0, -1, 201]) {
      expect(refusal(await sys.gql(`query($f: Int) { creditLedger(first: $f) { id } }`, { f: first }, own))).toEqual(badFirst);
      expect(refusal(await sys.gql(`query($f: Int) { wallet { ledger(first: $f) { id } } }`, { f: first }, own))).toEqual(badFirst);
    }
  });

  it('masterWallet.ledger and vendorPurchases: refused outside 1..200; 200 is served', async () => {
    const su = { token: sys.superToken };
    expect(refusal(await sys.gql(`{ masterWallet { ledger(first: 201) { id } } }`, {}, su))).toEqual(badFirst);
    expect(refusal(await sys.gql(`{ vendorPurchases(first: 0) { id } }`, {}, su))).toEqual(badFirst);
    const ok = await sys.ok(`{ masterWallet { ledger(first: 200) { reason } } vendorPurchases(first: 200) { credits } }`, {}, su);
    expect(ok.masterWallet.ledger.length).toBeGreaterThanOrEqual(2);
    expect(ok.vendorPurchases).toEqual(expect.arrayContaining([{ credits: 1000 }]));
  });
});

describe('credits: arguments checked by class-validator keep their codes and field', () => {
  it('setLowBalanceThreshold refuses credits outside 0..10000000 and changes nothing', async () => {
    const set = `mutation($n: Int!) { setLowBalanceThreshold(channel: SMS, credits: $n) { thresholds { sms } } }`;
    expect((await sys.ok(set, { n: 7 }, { token: t.ownerToken })).setLowBalanceThreshold.thresholds.sms).toBe(7);
    for (const n of [-1, 10_000_001]) {
      expect(refusal(await sys.gql(set, { n }, { token: t.ownerToken }))).toEqual({ data: null, code: 'BAD_USER_INPUT', field: 'credits' });
    }
    expect((await sys.ok(`{ wallet { thresholds { sms } } }`, {}, { token: t.ownerToken })).wallet.thresholds.sms).toBe(7);
    expect((await sys.ok(set, { n: 0 }, { token: t.ownerToken })).setLowBalanceThreshold.thresholds.sms).toBe(0);
  });

  it('refundCredits refuses a malformed reference (length, spaces) and refunds nothing', async () => {
    const refund = (r: string) =>
      sys.gql(`mutation($r: String!) { refundCredits(reference: $r) }`, { r }, { token: t.ownerToken, url: sys.subgraphUrls.credits });
    const before = (await sys.ok(`{ wallet { sms } }`, {}, { token: t.ownerToken })).wallet.sms;
    for (const r of ['short', 'x'.repeat(101), 'valid debit 0']) {
      expect(refusal(await refund(r))).toEqual({ data: null, code: 'BAD_USER_INPUT', field: 'reference' });
    }
    expect((await sys.ok(`{ wallet { sms } }`, {}, { token: t.ownerToken })).wallet.sms).toBe(before);
    expect((await refund('valid-debit-0')).data?.refundCredits).toBe(true);
    expect((await sys.ok(`{ wallet { sms } }`, {}, { token: t.ownerToken })).wallet.sms).toBe(before + 1);
  });

  it("deliverCreditPackage: billing's token with a malformed orderId is BAD_USER_INPUT; anyone else is still FORBIDDEN", async () => {
    const deliver = (orderId: string, token: string) =>
      sys.gql(
        `mutation($o: ID!) { deliverCreditPackage(orderId: $o, packageId: "${'b'.repeat(24)}", amountPaid: 100) }`,
        { o: orderId },
        { token, url: sys.subgraphUrls.credits },
      );
    const billing = signAccessToken({ sub: 'service:billing', role: SERVICE_ROLE, tid: t.id, tsl: t.slug }, sys.config.jwtSecret as string, 300);
    expect(refusal(await deliver('not-an-id', billing))).toEqual({ data: null, code: 'BAD_USER_INPUT', field: 'orderId' });
    expect(refusal(await deliver('not-an-id', t.ownerToken))).toMatchObject({ data: null, code: 'FORBIDDEN' });
    // A well-formed id of no package: NOT_FOUND, as before.
    expect(refusal(await deliver('a'.repeat(24), billing))).toMatchObject({ data: null, code: 'NOT_FOUND' });
  });
});
