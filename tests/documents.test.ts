import { signDocumentLink, verifyDocumentLink } from '../core/documents/link';
import { Types } from 'mongoose';
import { foldDues } from '../subgraphs/billing/documents/dues-register.service';
import { ChargeKind, emptyDues, type DuesState } from '../subgraphs/billing/memberships/dues-ledger.service';
import type { DuesEntryDoc } from '../subgraphs/billing/memberships/dues.model';
import { inr } from '../core/documents/pdf';
import { istMonth } from '../core/tenant-time';
import { download, pdfRead, pdfText, xlsxRows } from './helpers/documents';
import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * Generated documents (core/documents, docs/flows/documents.md): a link is issued through
 * GraphQL (permission checked there), downloaded through the gateway's GET /documents/:token
 * (stream-proxied to the subgraph the signed link names), and read back.
 */
let sys: System;
beforeAll(async () => {
  // With gateway signing on: the gateway's document request must be signed like its GraphQL calls.
  sys = await startSystem({ GATEWAY_SIGNING_SECRET: 'documents-signing-secret-documents-signing' });
});
afterAll(() => sys?.stop());

const PAYMENT_DOC = `query($id: ID!, $kind: PaymentDocumentKind) { paymentDocument(paymentId: $id, kind: $kind) { url fileName contentType expiresAt } }`;
const RECORD = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id amount invoice { number amount taxableValue cgst sgst igst totalTax amountInWords } } }`;
const SETTINGS = `mutation($i: BillingSettingsInput!) { updateBillingSettings(input: $i) { legalName } }`;

interface Setup {
  t: TestTenant;
  libraryId: string;
  studentId: string;
}

async function setup(slug: string): Promise<Setup> {
  const t = await sys.createTenant(slug, { plan: 'starter' });
  const lib = await sys.ok(
    `mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`,
    { i: { name: `${slug} Central`, capacity: 30 } },
    { token: t.ownerToken },
  );
  const libraryId = lib.createLibrary.id as string;
  const st = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    { i: { name: 'Asha Verma', phone: '9876543210', libraryId } },
    { token: t.ownerToken },
  );
  return { t, libraryId, studentId: st.createStudent.id as string };
}

const pay = async (token: string, studentId: string, amount: number, method = 'UPI', reference = 'UTR-DOC-1') =>
  (await sys.ok(RECORD, { i: { studentId, amount, method, reference } }, { token })).recordPayment;
/** A reference a spreadsheet would run as a formula if it were written as typed. */
const FORMULA = '=HYPERLINK("http://evil.test","x")';

/** The payload part of a token, edited, with the original signature kept (a forgery attempt). */
function tamper(token: string, edit: (p: Record<string, unknown>) => void): string {
  const [v, kid, body, sig] = token.replace(/^\/documents\//, '').split('.');
  const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  edit(p);
  return `${v}.${kid}.${Buffer.from(JSON.stringify(p)).toString('base64url')}.${sig}`;
}
const tokenOf = (url: string) => url.replace(/^\/documents\//, '');

describe('documents: signed links, the gateway route, tenant isolation', () => {
  let a: Setup;
  let b: Setup;
  let paymentA: { id: string; invoice: Record<string, unknown> };
  beforeAll(async () => {
    [a, b] = await Promise.all([setup('doc-alpha'), setup('doc-beta')]);
    await sys.ok(
      SETTINGS,
      { i: { legalName: 'Alpha Study Hall Pvt Ltd', address: '12 MG Road, Bengaluru', stateCode: '29', gstin: '29ABCDE1234F1Z5' } },
      { token: a.t.ownerToken },
    );
    paymentA = await pay(a.t.ownerToken, a.studentId, 150_000);
  });

  it('issues a 5-minute PDF link and serves the invoice through the gateway, streamed with no-store', async () => {
    const before = Date.now();
    const { paymentDocument: link } = await sys.ok(PAYMENT_DOC, { id: paymentA.id }, { token: a.t.ownerToken });
    expect(link.url).toMatch(/^\/documents\/d1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(link.contentType).toBe('application/pdf');
    expect(link.fileName).toBe(`invoice-${String(paymentA.invoice.number).replace(/\//g, '-')}.pdf`);
    const ttl = new Date(link.expiresAt).getTime() - before;
    expect(ttl).toBeGreaterThan(290_000);
    expect(ttl).toBeLessThanOrEqual(301_000);

    const res = await download(sys.gatewayUrl, link.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${link.fileName}"`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(res.body);
    expect(text).toContain('Tax Invoice');
    expect(text).toContain('Alpha Study Hall Pvt Ltd');
    expect(text).toContain('GSTIN: 29ABCDE1234F1Z5');
    expect(text).toContain(String(paymentA.invoice.number));
    expect(text).toContain('Asha Verma');
    expect(text).toContain('INR 1,500.00');
    expect(text).toContain('Page 1');
  });

  it('refuses a tampered link (401) and a link past its expiry (410), as JSON, at the gateway', async () => {
    const { paymentDocument: link } = await sys.ok(PAYMENT_DOC, { id: paymentA.id }, { token: a.t.ownerToken });
    const token = tokenOf(link.url);
    const forged = tamper(token, (p) => (p.kind = 'other'));
    const res = await download(sys.gatewayUrl, `/documents/${forged}`);
    expect(res.status).toBe(401);
    expect(res.json.error).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Invalid download link' });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const badSig = `${token.slice(0, -2)}${token.endsWith('AA') ? 'AB' : 'AA'}`;
    expect((await download(sys.gatewayUrl, `/documents/${badSig}`)).status).toBe(401);
    expect((await download(sys.gatewayUrl, '/documents/not-a-token')).status).toBe(401);

    const keys = sys.config.security.jwtKeys;
    const genuine = verifyDocumentLink(keys, token);
    const { exp: _exp, ...input } = genuine;
    const stale = signDocumentLink(keys, input, Date.now() - 301_000).token;
    const gone = await download(sys.gatewayUrl, `/documents/${stale}`);
    expect(gone.status).toBe(410);
    expect(gone.json.error.code).toBe('UNAUTHENTICATED');
    expect(gone.json.error.message).toMatch(/expired/);
  });

  it('a link only ever reaches the tenant signed into it', async () => {
    const paymentB = await pay(b.t.ownerToken, b.studentId, 90_000);
    const { paymentDocument: linkB } = await sys.ok(PAYMENT_DOC, { id: paymentB.id }, { token: b.t.ownerToken });
    // Re-pointing B's link at A's tenant breaks the signature.
    const moved = tamper(tokenOf(linkB.url), (p) => (p.tenantId = a.t.id));
    expect((await download(sys.gatewayUrl, `/documents/${moved}`)).status).toBe(401);
    // A genuinely signed link of tenant B naming A's payment renders against B's database only: not found.
    const keys = sys.config.security.jwtKeys;
    const { exp: _exp, ...input } = verifyDocumentLink(keys, tokenOf(linkB.url));
    const cross = signDocumentLink(keys, { ...input, params: { ...input.params, paymentId: paymentA.id } }).token;
    const res = await download(sys.gatewayUrl, `/documents/${cross}`);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
    // And B cannot even get a link to A's payment.
    const asked = await sys.gql(PAYMENT_DOC, { id: paymentA.id }, { token: b.t.ownerToken });
    expect(asked.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('checks the permission when the link is issued: staff without payments:read get FORBIDDEN', async () => {
    const staff = await sys.userToken(a.t, 'staff');
    const res = await sys.gql(PAYMENT_DOC, { id: paymentA.id }, { token: staff });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.data?.paymentDocument ?? null).toBeNull();
    const anon = await sys.gql(PAYMENT_DOC, { id: paymentA.id }, { tenant: a.t.slug });
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a link of a suspended tenant no longer downloads (403 TENANT_SUSPENDED)', async () => {
    const c = await setup('doc-gamma');
    const p = await pay(c.t.ownerToken, c.studentId, 10_000);
    const { paymentDocument: link } = await sys.ok(PAYMENT_DOC, { id: p.id }, { token: c.t.ownerToken });
    await sys.ok(`mutation($id: ID!) { suspendTenant(id: $id) { status } }`, { id: c.t.id }, { token: sys.superToken });
    const res = await download(sys.gatewayUrl, link.url);
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('TENANT_SUSPENDED');
  });

  it('the subgraph refuses a link that names another subgraph (404), and any request not signed by the gateway (401)', async () => {
    const keys = sys.config.security.jwtKeys;
    const { paymentDocument: link } = await sys.ok(PAYMENT_DOC, { id: paymentA.id }, { token: a.t.ownerToken });
    const { exp: _exp, ...input } = verifyDocumentLink(keys, tokenOf(link.url));
    const elsewhere = signDocumentLink(keys, { ...input, subgraph: 'credits' }).token;
    const res = await download(sys.gatewayUrl, `/documents/${elsewhere}`);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
    // A genuine link straight to the subgraph, bypassing the gateway: refused (signing is on).
    const direct = await fetch(sys.subgraphUrls.billing.replace(/\/graphql$/, link.url));
    expect(direct.status).toBe(401);
    expect(((await direct.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(/through the gateway/);
    expect((await download(sys.gatewayUrl, link.url)).status).toBe(200);
  });
});

const REGISTER = (field: string) =>
  `query($m: String!, $l: ID, $f: DocumentFormat) { ${field}(month: $m, libraryId: $l, format: $f) { url fileName contentType expiresAt } }`;
const PAYMENTS = `query($m: String!) { payments(filter: { month: $m }, first: 200) { id amount method refundedAmount invoice { number } library { id } } }`;
const DUES = `query($id: ID!) { student(id: $id) { dues { amountDue advanceCredit } } }`;
const rupees = (paise: number) => paise / 100;

describe('billing documents: invoice, receipt, payment and dues registers', () => {
  let s: Setup;
  let libraryB: string;
  let studentB: string;
  let month: string;
  let refundedPayment: { id: string; invoice: Record<string, unknown> };
  let manager: string;
  const paid: { amount: number; method: string }[] = [];
  beforeAll(async () => {
    month = istMonth(new Date());
    s = await setup('doc-bills');
    const o = { token: s.t.ownerToken };
    await sys.ok(SETTINGS, { i: { legalName: 'Bills Library LLP', address: '4 Park Street, Kolkata', stateCode: '19', gstin: '19ABCDE1234F1Z5' } }, o);
    libraryB = (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name: 'doc-bills East', capacity: 30 } }, o))
      .createLibrary.id;
    studentB = (
      await sys.ok(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
        { i: { name: 'Ravi Kumar', phone: '9876500000', libraryId: libraryB } },
        o,
      )
    ).createStudent.id;
    // A membership charge for each student: the dues ledger has charges, payments pay them.
    for (const [libraryId, studentId] of [
      [s.libraryId, s.studentId],
      [libraryB, studentB],
    ]) {
      const plan = (
        await sys.ok(
          `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
          {
            i: { libraryId, name: 'Monthly', duration: 'MONTHLY', price: 200_000, seatKind: 'RESERVED' },
          },
          o,
        )
      ).createFeePlan.id;
      await sys.ok(
        `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id } }`,
        { i: { studentId, planId: plan, idempotencyKey: `assign-${studentId}` } },
        o,
      );
    }
    for (const [studentId, amount, method] of [
      [s.studentId, 120_000, 'UPI'],
      [s.studentId, 50_050, 'CASH'],
      [studentB, 99_999, 'CASH'],
      [studentB, 250_000, 'CARD'],
    ] as const) {
      const p = await pay(s.t.ownerToken, studentId, amount, method, method === 'CARD' ? FORMULA : 'UTR-DOC-1');
      paid.push({ amount, method });
      if (amount === 250_000) refundedPayment = p;
    }
    await sys.ok(
      `mutation($i: RefundPaymentInput!) { refundPayment(input: $i) { id } }`,
      { i: { paymentId: refundedPayment.id, amount: 70_000, reason: 'left early', idempotencyKey: 'doc-refund-1' } },
      o,
    );
    manager =
      (await sys.ok(
        `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
        {
          i: { email: 'mgr@doc-bills.test', name: 'Mgr', password: 'correct-horse-battery', role: 'manager', libraryIds: [libraryB] },
        },
        o,
      )) && (await sys.login('mgr@doc-bills.test', 'correct-horse-battery', s.t.slug)).accessToken;
  });

  it('the invoice PDF carries exactly the API invoice figures; a refund shows on invoice and receipt', async () => {
    const api = (
      await sys.ok(
        `query($id: ID!) { payment(id: $id) { amount refundedAmount status invoice { number taxableValue cgst sgst igst gstRatePercent amountInWords sellerLegalName sellerGstin } } }`,
        { id: refundedPayment.id },
        { token: s.t.ownerToken },
      )
    ).payment;
    expect(api.refundedAmount).toBe(70_000);
    const { paymentDocument: link } = await sys.ok(PAYMENT_DOC, { id: refundedPayment.id }, { token: s.t.ownerToken });
    const text = await pdfText((await download(sys.gatewayUrl, link.url)).body);
    const i = api.invoice;
    expect(text).toContain('Bills Library LLP');
    expect(text).toContain('GSTIN: 19ABCDE1234F1Z5');
    expect(text).toContain(i.number);
    expect(text).toContain(`Taxable value ${inr(i.taxableValue)}`);
    expect(text).toContain(`CGST @ ${i.gstRatePercent / 2}% ${inr(i.cgst)}`);
    expect(text).toContain(`SGST @ ${i.gstRatePercent / 2}% ${inr(i.sgst)}`);
    expect(text).toContain(`Total (GST included) ${inr(api.amount)}`);
    expect(text).toContain(`Refunded ${inr(70_000)}`);
    expect(text).toContain(i.amountInWords);
    expect(text).toContain('Ravi Kumar');

    const { paymentDocument: receiptLink } = await sys.ok(PAYMENT_DOC, { id: refundedPayment.id, kind: 'RECEIPT' }, { token: s.t.ownerToken });
    expect(receiptLink.fileName).toMatch(/^receipt-/);
    const receipt = await pdfText((await download(sys.gatewayUrl, receiptLink.url)).body);
    expect(receipt).toContain('Payment Receipt');
    expect(receipt).toContain(`Amount received (GST included) ${inr(250_000)}`);
    expect(receipt).toContain(`Net received ${inr(180_000)}`);
  });

  it('the payment register (XLSX) has every payment of the month as numbers, and totals by method equal the API', async () => {
    const api = (await sys.ok(PAYMENTS, { m: month }, { token: s.t.ownerToken })).payments as {
      amount: number;
      method: string;
      refundedAmount: number;
      invoice: { number: string };
    }[];
    expect(api).toHaveLength(4);
    const { paymentRegisterDocument: link } = await sys.ok(REGISTER('paymentRegisterDocument'), { m: month, f: 'XLSX' }, { token: s.t.ownerToken });
    expect(link.fileName).toBe(`payment-register-${month}.xlsx`);
    expect(link.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const res = await download(sys.gatewayUrl, link.url);
    expect(res.status).toBe(200);
    const sheets = await xlsxRows(res.body);
    const rows = sheets[`Payments ${month}`];
    expect(rows[0]).toEqual(['Date', 'Invoice', 'Student', 'Library', 'Method', 'Reference', 'Amount', 'Refunded']);
    const body = rows.slice(1);
    expect(body.map((r) => r[1]).sort()).toEqual(api.map((p) => p.invoice.number).sort());
    expect(body.every((r) => typeof r[6] === 'number' && r[0] instanceof Date)).toBe(true);
    expect(body.reduce((n, r) => n + Math.round((r[6] as number) * 100), 0)).toBe(api.reduce((n, p) => n + p.amount, 0));
    // Formula-injection guard on text: the reference typed as a formula is written as text; no cell starts with = + - @.
    expect(body.map((r) => r[5])).toContain(`'${FORMULA}`);
    expect(body.flat().some((v) => typeof v === 'string' && /^[=+\-@]/.test(v))).toBe(false);

    const totals = sheets['Totals by method'];
    const byMethod = (m: string) => api.filter((p) => p.method === m);
    const sum = (ps: { amount: number }[]) => ps.reduce((n, p) => n + p.amount, 0);
    expect(totals.slice(1)).toEqual([
      ['Card', 1, rupees(sum(byMethod('CARD'))), rupees(70_000), rupees(sum(byMethod('CARD')) - 70_000)],
      ['Cash', 2, rupees(sum(byMethod('CASH'))), 0, rupees(sum(byMethod('CASH')))],
      ['UPI', 1, rupees(sum(byMethod('UPI'))), 0, rupees(sum(byMethod('UPI')))],
      ['Total', 4, rupees(sum(api)), rupees(70_000), rupees(sum(api) - 70_000)],
    ]);
  });

  it('the payment register (PDF) prints the same totals', async () => {
    const { paymentRegisterDocument: link } = await sys.ok(REGISTER('paymentRegisterDocument'), { m: month }, { token: s.t.ownerToken });
    expect(link.contentType).toBe('application/pdf');
    const text = await pdfText((await download(sys.gatewayUrl, link.url)).body);
    const total = paid.reduce((n, p) => n + p.amount, 0);
    expect(text).toContain('Payment register');
    expect(text).toContain(`Total 4 ${inr(total)} ${inr(70_000)} ${inr(total - 70_000)}`);
    expect(text).toContain(`Cash 2 ${inr(150_049)} ${inr(0)} ${inr(150_049)}`);
  });

  it('the dues register (XLSX and PDF) closes at the API dues of each student', async () => {
    const apiDue = async (id: string) => (await sys.ok(DUES, { id }, { token: s.t.ownerToken })).student.dues;
    const [a, b] = [await apiDue(s.studentId), await apiDue(studentB)];
    const { duesRegisterDocument: link } = await sys.ok(REGISTER('duesRegisterDocument'), { m: month, f: 'XLSX' }, { token: s.t.ownerToken });
    const sheets = await xlsxRows((await download(sys.gatewayUrl, link.url)).body);
    const rows = sheets[`Dues ${month}`];
    expect(rows[0]).toEqual(['Student', 'Library', 'Opening due', 'Charged', 'Paid', 'Credited', 'Refunded', 'Closing due', 'Advance', 'Deposit held']);
    const asha = rows.find((r) => r[0] === 'Asha Verma')!;
    const ravi = rows.find((r) => r[0] === 'Ravi Kumar')!;
    expect(asha.slice(2)).toEqual([0, 2000, 1700.5, 0, 0, rupees(a.amountDue), rupees(a.advanceCredit), 0]);
    expect(ravi[3]).toBe(2000);
    expect(ravi[4]).toBe(3499.99);
    expect(ravi[7]).toBe(rupees(b.amountDue));
    expect(ravi[8]).toBe(rupees(b.advanceCredit));
    const total = rows[rows.length - 1];
    expect(total[0]).toBe('Total');
    expect(total[7]).toBe(rupees(a.amountDue + b.amountDue));

    const { duesRegisterDocument: pdfLink } = await sys.ok(REGISTER('duesRegisterDocument'), { m: month }, { token: s.t.ownerToken });
    const text = await pdfText((await download(sys.gatewayUrl, pdfLink.url)).body);
    expect(text).toContain('Dues register');
    expect(text).toContain('Ravi Kumar');
  });

  it('branch scope: a manager of one library gets only it, and is refused another library; staff are refused', async () => {
    const { paymentRegisterDocument: link } = await sys.ok(REGISTER('paymentRegisterDocument'), { m: month, f: 'XLSX' }, { token: manager });
    const rows = (await xlsxRows((await download(sys.gatewayUrl, link.url)).body))[`Payments ${month}`].slice(1);
    expect(rows.map((r) => r[2]).sort()).toEqual(['Ravi Kumar', 'Ravi Kumar']);
    const other = await sys.gql(REGISTER('paymentRegisterDocument'), { m: month, l: s.libraryId }, { token: manager });
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const dues = await sys.gql(REGISTER('duesRegisterDocument'), { m: month, l: s.libraryId }, { token: manager });
    expect(dues.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { duesRegisterDocument: own } = await sys.ok(REGISTER('duesRegisterDocument'), { m: month, f: 'XLSX' }, { token: manager });
    const duesRows = (await xlsxRows((await download(sys.gatewayUrl, own.url)).body))[`Dues ${month}`].slice(1);
    expect(duesRows.map((r) => r[0])).toEqual(['Ravi Kumar', 'Total']);
    // The manager's payment of Asha (another branch) is not theirs to print either.
    const invoice = await sys.gql(
      PAYMENT_DOC,
      {
        id:
          paid.length &&
          (await sys.ok(PAYMENTS, { m: month }, { token: s.t.ownerToken })).payments.find((p: { library: { id: string } }) => p.library.id === s.libraryId).id,
      },
      { token: manager },
    );
    expect(invoice.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const staff = await sys.userToken(s.t, 'staff');
    for (const field of ['paymentRegisterDocument', 'duesRegisterDocument']) {
      const r = await sys.gql(REGISTER(field), { m: month }, { token: staff });
      expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('a long register paginates: every page numbered, the table header repeated', async () => {
    const many = await setup('doc-many');
    const first = await pay(many.t.ownerToken, many.studentId, 10_000, 'UPI');
    // 69 more payments of the same shape written straight to the tenant's collection (recording
    // 70 through the API costs ~20 s on a busy machine; the register only reads them).
    const payments = sys.db.tenant(sys.db.tenantDbName(many.t.slug)).collection('payments');
    const { idempotencyKey: _key, ...doc } = (await payments.findOne({ _id: new Types.ObjectId(first.id) }))!;
    await payments.insertMany(
      Array.from({ length: 69 }, (_, k) => ({
        ...doc,
        _id: new Types.ObjectId(),
        amount: 10_001 + k,
        method: k % 2 ? 'upi' : 'cash',
        invoice: { ...doc.invoice, number: `${doc.invoice.number}-${k}` },
        paidAt: new Date(doc.paidAt.getTime() + (k + 1) * 1000),
      })),
    );
    const { paymentRegisterDocument: link } = await sys.ok(REGISTER('paymentRegisterDocument'), { m: month }, { token: many.t.ownerToken });
    const { text, pages } = await pdfRead((await download(sys.gatewayUrl, link.url)).body);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let n = 1; n <= pages; n++) expect(text).toContain(`Page ${n}`);
    // The rows' table header opens each page of rows.
    expect(text.match(/Date\s+Invoice\s+Student/g)?.length).toBeGreaterThanOrEqual(2);
    const total = Array.from({ length: 70 }, (_, n) => 10_000 + n).reduce((a, b) => a + b, 0);
    expect(text).toContain(`Total 70 ${inr(total)}`);
  });

  it('bad input is refused with its field', async () => {
    const bad = await sys.gql(REGISTER('paymentRegisterDocument'), { m: '2030-13' }, { token: s.t.ownerToken });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const badLib = await sys.gql(REGISTER('duesRegisterDocument'), { m: month, l: 'nope' }, { token: s.t.ownerToken });
    expect(badLib.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'libraryId' });
  });
});

describe("dues register: one student's month folded from the ledger chain", () => {
  const state = (due: number, advance = 0): DuesState => ({
    ...emptyDues(),
    open: due ? [{ id: 'c', kind: ChargeKind.MEMBERSHIP, amount: due, outstanding: due, dueDate: '2030-02-01' }] : [],
    advance,
    libraryId: 'lib1',
  });
  const entry = (seq: number, at: string, op: DuesEntryDoc['op'], amount: number, after: DuesState): DuesEntryDoc => ({
    chain: 's1',
    seq,
    key: `k${seq}`,
    op,
    at: new Date(at),
    amount,
    allocations: [],
    state: after,
    ...(op === 'CHARGE' ? { charge: { id: `c${seq}`, kind: ChargeKind.MEMBERSHIP, amount, dueDate: '2030-02-01', description: 'Monthly' } } : {}),
  });
  const start = new Date('2030-02-28T18:30:00Z'); // 1 March 2030, India midnight

  it("opens at the state before the month, counts the month's moves, closes at its last state", () => {
    const line = foldDues(
      's1',
      [
        entry(1, '2030-02-01T05:00:00Z', 'CHARGE', 150_000, state(150_000)),
        entry(2, '2030-02-10T05:00:00Z', 'PAYMENT', 50_000, state(100_000)),
        entry(3, '2030-02-28T18:29:59Z', 'CHARGE', 150_000, state(250_000)),
        entry(4, '2030-03-05T05:00:00Z', 'PAYMENT', 300_000, state(0, 50_000)),
        entry(5, '2030-03-06T05:00:00Z', 'REFUND', 20_000, state(0, 30_000)),
        entry(6, '2030-03-07T05:00:00Z', 'CREDIT', 5_000, state(0, 35_000)),
      ],
      start,
    );
    expect(line).toMatchObject({ opening: 250_000, charged: 0, paid: 300_000, refunded: 20_000, credited: 5_000, active: true, libraryId: 'lib1' });
    expect(line.closing.advance).toBe(35_000);
  });

  it('a student with no move in the month carries the balance through', () => {
    const line = foldDues('s1', [entry(1, '2030-01-01T05:00:00Z', 'CHARGE', 80_000, state(80_000))], start);
    expect(line).toMatchObject({ opening: 80_000, charged: 0, paid: 0, active: false });
    expect(line.closing.open[0].outstanding).toBe(80_000);
  });
});
