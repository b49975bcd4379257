import { signDocumentLink, verifyDocumentLink } from '../core/documents/link';
import { download, pdfText } from './helpers/documents';
import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * Generated documents (core/documents, docs/flows/documents.md): a link is issued through
 * GraphQL (permission checked there), downloaded through the gateway's GET /documents/:token
 * (stream-proxied to the subgraph the signed link names), and read back.
 */
let sys: System;
beforeAll(async () => {
  sys = await startSystem();
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

const pay = async (token: string, studentId: string, amount: number, method = 'UPI') =>
  (await sys.ok(RECORD, { i: { studentId, amount, method, reference: 'UTR-DOC-1' } }, { token })).recordPayment;

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

  it('the subgraph refuses a link that names another subgraph (404), and a bad one directly (401)', async () => {
    const keys = sys.config.security.jwtKeys;
    const { paymentDocument: link } = await sys.ok(PAYMENT_DOC, { id: paymentA.id }, { token: a.t.ownerToken });
    const { exp: _exp, ...input } = verifyDocumentLink(keys, tokenOf(link.url));
    const elsewhere = signDocumentLink(keys, { ...input, subgraph: 'credits' }).token;
    const res = await download(sys.gatewayUrl, `/documents/${elsewhere}`);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('NOT_FOUND');
    const direct = await fetch(sys.subgraphUrls.billing.replace(/\/graphql$/, '/documents/d1.x.y.z'));
    expect(direct.status).toBe(401);
  });
});
