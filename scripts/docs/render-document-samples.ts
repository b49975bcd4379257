import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFParse } from 'pdf-parse';
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../../core/config';
import { istMonth } from '../../core/tenant-time';
import { InProcessPubSub } from '../../core/pubsub';
import type { RunningService } from '../../core/server/subgraph-server';
import { DbManager } from '../../core/tenancy/db';
import { createServer as createGateway } from '../../gateway';
import { upsertPlatformUser } from '../../subgraphs/tenant/platform-user.service';
import { SUBGRAPHS } from '../subgraphs';

/**
 * Renders sample documents (docs/flows/documents.md) through the real system and writes the
 * first page of each as PNG to docs/images/: starts the five subgraphs and the gateway on free
 * ports against MONGODB_URI (a throw-away DB_PREFIX, dropped at the end), creates a sample
 * tenant through the API, issues links, downloads them through the gateway and rasterises
 * page 1 with pdf-parse's getScreenshot().
 *
 *   npm run build && MONGODB_URI=mongodb://127.0.0.1:27017/ node dist/scripts/docs/render-document-samples.js
 */
const OUT = join(__dirname, '..', '..', '..', 'docs', 'images');
const PASSWORD = randomBytes(12).toString('base64url');

type Gql = (query: string, variables?: Record<string, unknown>, token?: string) => Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL data is untyped JSON; the script reads the fields it asks for

async function main() {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required (a scratch database: a throw-away prefix is used and dropped)');
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    MONGODB_URI: uri,
    DB_PREFIX: `docs${randomBytes(3).toString('hex')}_`,
    PORT: '0',
    LOG_LEVEL: 'silent',
  };
  const base = loadConfig('gateway', env);
  const db = await DbManager.connect(uri, base.dbPrefix);
  const pubsub = new InProcessPubSub();
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  const services: RunningService[] = [];
  try {
    for (const name of SUBGRAPH_NAMES) {
      const svc = await SUBGRAPHS[name]!.createServer({ ...loadConfig(name, env), subgraphUrls }, db, { pubsub });
      subgraphUrls[name] = svc.url;
      services.push(svc);
    }
    const gateway = await createGateway({ ...base, subgraphUrls }, { pubsub });
    services.push(gateway);
    const gql: Gql = async (query, variables = {}, token) => {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(`${query.slice(0, 60)}: ${body.errors[0].message}`);
      return body.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- see Gql
    };
    const links = await seed(gql, db);
    mkdirSync(OUT, { recursive: true });
    for (const [name, url] of Object.entries(links)) {
      const res = await fetch(new URL(url, gateway.url));
      if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
      const parser = new PDFParse({ data: Buffer.from(await res.arrayBuffer()) });
      const shot = await parser.getScreenshot({ partial: [1], scale: 1.5, imageDataUrl: false });
      await parser.destroy();
      const file = join(OUT, `document-${name}.png`);
      writeFileSync(file, Buffer.from(shot.pages[0].data));
      console.log(`wrote ${file}`);
    }
  } finally {
    for (const svc of services.reverse()) await svc.stop();
    // Everything this run made lives under its own prefix: the platform and the sample tenant.
    await db.tenant(db.tenantDbName('sunrise-reading-room')).dropDatabase();
    await db.platform().dropDatabase();
    await db.close();
    await pubsub.close();
  }
}

/** A sample tenant with seller details, two libraries, memberships, payments and a refund; returns the links to render. */
async function seed(gql: Gql, db: DbManager): Promise<Record<string, string>> {
  // The platform admin (the first user of a fresh platform).
  const admin = 'admin@docs.sample';
  await upsertPlatformUser(db, { email: admin, name: 'Docs Admin', password: PASSWORD, role: 'super_admin' });
  const login = async (email: string, tenant?: string) =>
    (await gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email, password: PASSWORD, tenant } })).login.accessToken as string;
  const adminToken = await login(admin);
  const slug = 'sunrise-reading-room';
  await gql(
    `mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }`,
    { i: { name: 'Sunrise Reading Room', slug, plan: 'starter', owner: { email: `owner@${slug}.sample`, name: 'Meera Iyer', password: PASSWORD } } },
    adminToken,
  );
  const owner = await login(`owner@${slug}.sample`, slug);
  await gql(
    `mutation($i: BillingSettingsInput!) { updateBillingSettings(input: $i) { legalName } }`,
    { i: { legalName: 'Sunrise Learning Spaces LLP', address: '2nd Floor, 14 Residency Road, Bengaluru 560025', stateCode: '29', gstin: '29AAKFS1234M1Z7' } },
    owner,
  );
  const library = async (name: string) =>
    (await gql(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity: 60 } }, owner)).createLibrary.id as string;
  const libs = [await library('Sunrise Koramangala'), await library('Sunrise Indiranagar')];
  const plans = await Promise.all(
    libs.map(
      async (libraryId) =>
        (
          await gql(
            `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
            { i: { libraryId, name: 'Monthly reserved seat', duration: 'MONTHLY', price: 180_000, seatKind: 'RESERVED' } },
            owner,
          )
        ).createFeePlan.id as string,
    ),
  );
  const names = ['Aarav Sharma', 'Diya Nair', 'Kabir Mehta', 'Ananya Rao', 'Ishaan Gupta', 'Saanvi Reddy', 'Vihaan Joshi', 'Myra Pillai'];
  const methods = ['UPI', 'CASH', 'CARD', 'BANK_TRANSFER'];
  const payments: string[] = [];
  for (const [k, name] of names.entries()) {
    const libraryId = libs[k % 2];
    const studentId = (
      await gql(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
        { i: { name, phone: `98450${String(10000 + k * 137)}`, libraryId } },
        owner,
      )
    ).createStudent.id as string;
    await gql(
      `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id } }`,
      { i: { studentId, planId: plans[k % 2], idempotencyKey: `sample-${k}-assign` } },
      owner,
    );
    // Some pay in full, some in part, one pays ahead.
    const amount = [180_000, 100_000, 180_000, 250_000, 90_000, 180_000, 120_000, 180_000][k];
    const p = await gql(
      `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
      { i: { studentId, amount, method: methods[k % 4], reference: k % 4 === 1 ? undefined : `REF${4200 + k}`, idempotencyKey: `sample-${k}-pay` } },
      owner,
    );
    payments.push(p.recordPayment.id as string);
  }
  await gql(
    `mutation($i: RefundPaymentInput!) { refundPayment(input: $i) { id } }`,
    { i: { paymentId: payments[3], amount: 70_000, reason: 'Paid one month too many', idempotencyKey: 'sample-refund' } },
    owner,
  );
  const month = istMonth(new Date());
  const link = async (query: string, variables: Record<string, unknown>) => Object.values(await gql(query, variables, owner))[0].url as string;
  const PAYMENT = `query($id: ID!, $k: PaymentDocumentKind) { paymentDocument(paymentId: $id, kind: $k) { url } }`;
  return {
    invoice: await link(PAYMENT, { id: payments[3], k: 'INVOICE' }),
    receipt: await link(PAYMENT, { id: payments[3], k: 'RECEIPT' }),
    'payment-register': await link(`query($m: String!) { paymentRegisterDocument(month: $m) { url } }`, { m: month }),
    'dues-register': await link(`query($m: String!) { duesRegisterDocument(month: $m) { url } }`, { m: month }),
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
