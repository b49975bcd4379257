import { Types } from 'mongoose';
import { DOMAIN_CONSUMERS } from '../subgraphs/events';
import { createLogger } from '../core/logger';
import { channelProviders } from '../subgraphs/messaging/channel-router.provider';
import type { AutomationRuntime, MessagingDeps } from '../subgraphs/messaging/context';
import { startMonthlyPackJob } from '../subgraphs/messaging/monthly-pack/pack.job';
import { lastMonth, runMonthlyPack } from '../subgraphs/messaging/monthly-pack/pack.service';
import { startFakeSmtp, type FakeSmtp, type ReceivedMail } from './helpers/fake-messaging';
import { pdfText } from './helpers/documents';
import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * The monthly pack (docs/flows/documents.md): last month's documents e-mailed to each
 * tenant's owner by messaging's periodic job, through a real SMTP server, exactly once
 * per tenant and month — with two job instances, runs repeated, and a crashed claim.
 */
let sys: System;
let smtp: FakeSmtp;
let deps: MessagingDeps;
let closeProviders: () => void;
beforeAll(async () => {
  sys = await startSystem();
  smtp = await startFakeSmtp();
  const routed = channelProviders({ email: { host: '127.0.0.1', port: smtp.port, from: 'StudySpot <reports@studyspot.test>', requireTls: false } });
  closeProviders = routed.close;
  const runtime: AutomationRuntime = { defaultsOn: false };
  // The job as messaging's onStart runs it, with this system's services and the SMTP provider.
  deps = {
    service: 'messaging',
    config: { ...sys.config, subgraphUrls: sys.subgraphUrls },
    db: sys.db,
    pubsub: sys.pubsub,
    consumers: DOMAIN_CONSUMERS,
    log: createLogger('messaging', 'silent'),
    services: { dlt: false, messageProvider: routed.factory, automation: runtime },
  };
  runtime.deps = deps;
});
afterAll(async () => {
  closeProviders?.();
  await smtp?.stop();
  await sys?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const month = lastMonth(new Date());
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));

/** The attachments of a received mail: file name → decoded content (nodemailer's base64 MIME parts). */
function attachmentsOf(mail: ReceivedMail): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const part of mail.raw.split(/\r?\n--[^\r\n]+\r?\n/)) {
    const name = /Content-Disposition: attachment;\s*filename="?([^"\r\n]+)"?/i.exec(part)?.[1];
    if (!name) continue;
    const body = part
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('\n')
      .replace(/--[^\s]*--\s*$/, '');
    files.set(name, Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'));
  }
  return files;
}
/** What the job gets for a tenant from the registry. */
const recordOf = (t: TestTenant) => ({ _id: new Types.ObjectId(t.id), slug: t.slug });
const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email));

async function tenantWithData(slug: string) {
  const t = await sys.createTenant(slug, { plan: 'professional' });
  const lib = await sys.ok(`mutation { createLibrary(input: { name: "Central Hall", capacity: 20 }) { id } }`, {}, { token: t.ownerToken });
  const libraryId = lib.createLibrary.id as string;
  const st = await sys.ok(
    `mutation($l: ID!) { createStudent(input: { name: "Meera Iyer", phone: "9876543210", libraryId: $l }) { id } }`,
    { l: libraryId },
    { token: t.ownerToken },
  );
  const day = `${month}-05`;
  const checkInAt = new Date(`${day}T09:00:00+05:30`);
  await tenantDb(t)
    .collection('attendance')
    .insertOne({
      studentId: new Types.ObjectId(st.createStudent.id as string),
      libraryId: new Types.ObjectId(libraryId),
      checkInAt,
      checkOutAt: new Date(checkInAt.getTime() + 3_600_000),
      openKey: `closed:${new Types.ObjectId().toHexString()}`,
      day,
      minutes: 60,
    });
  return t;
}

describe('monthly pack e-mail', () => {
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    [a, b] = await Promise.all([tenantWithData('pack-a'), tenantWithData('pack-b')]);
  });

  it('two job instances and a direct run: exactly one mail per tenant, with the PDFs attached', async () => {
    const stops = [startMonthlyPackJob(deps, 100), startMonthlyPackJob(deps, 130)];
    try {
      await Promise.all([a, b].map(async (t) => runMonthlyPack(deps, recordOf(t), tenantDb(t), new Date())));
      for (let i = 0; i < 100 && (mailsTo(a.ownerEmail).length < 1 || mailsTo(b.ownerEmail).length < 1); i++) await sleep(100);
      await sleep(800); // more ticks of both instances
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
    for (const t of [a, b]) {
      const mails = mailsTo(t.ownerEmail);
      expect(mails).toHaveLength(1);
      expect(mails[0].raw).toMatch(new RegExp(`Message-ID: <monthly-pack-${t.id}-${month}@studyspot>`, 'i'));
      const files = attachmentsOf(mails[0]);
      expect([...files.keys()].sort()).toEqual([
        `attendance-${month}-central-hall.pdf`,
        `credit-statement-${month}.pdf`,
        `dues-register-${month}.pdf`,
        `payment-register-${month}.pdf`,
      ]);
      expect(await pdfText(files.get(`payment-register-${month}.pdf`)!)).toMatch(/Payment register/i);
      expect(await pdfText(files.get(`dues-register-${month}.pdf`)!)).toMatch(/Dues register/i);
      const sheet = await pdfText(files.get(`attendance-${month}-central-hall.pdf`)!);
      expect(sheet).toContain('Attendance Sheet');
      expect(sheet).toContain('Meera Iyer');
      expect(await pdfText(files.get(`credit-statement-${month}.pdf`)!)).toContain('Messaging Credits Statement');
      const claims = await tenantDb(t).collection('monthly_pack_claims').find({ month }).toArray();
      expect(claims.map((c) => c.state)).toEqual(['sent']);
    }
    // Run again later: still one.
    await runMonthlyPack(deps, recordOf(a), tenantDb(a), new Date());
    expect(mailsTo(a.ownerEmail)).toHaveLength(1);
  });

  it('a claim whose run crashed is finished after its lease; a live one is left alone', async () => {
    const c = await tenantWithData('pack-c');
    const record = recordOf(c);
    const claims = tenantDb(c).collection('monthly_pack_claims');
    // A run claimed the pack and died (its lease runs 15 minutes from now).
    await claims.insertOne({
      _id: `${month}#1` as never,
      month,
      attempt: 1,
      state: 'claimed',
      leaseUntil: new Date(Date.now() + 15 * 60_000),
      createdAt: new Date(),
    });
    expect(await runMonthlyPack(deps, record, tenantDb(c), new Date())).toBe('taken');
    expect(mailsTo(c.ownerEmail)).toHaveLength(0);
    // Once the lease has run out, the next run (of any instance) takes attempt 2 and sends.
    const later = new Date(Date.now() + 16 * 60_000);
    const outcomes = await Promise.all([runMonthlyPack(deps, record, tenantDb(c), later), runMonthlyPack(deps, record, tenantDb(c), later)]);
    expect(outcomes.sort()).toEqual(['sent', 'taken']);
    expect(mailsTo(c.ownerEmail)).toHaveLength(1);
    expect((await claims.find({ month }).sort({ attempt: 1 }).toArray()).map((x) => [x.attempt, x.state])).toEqual([
      [1, 'claimed'],
      [2, 'sent'],
    ]);
    expect(await runMonthlyPack(deps, record, tenantDb(c), later)).toBe('taken');
    expect(mailsTo(c.ownerEmail)).toHaveLength(1);
  });

  it('a refused send marks the attempt failed; the next run sends it, once', async () => {
    const d = await tenantWithData('pack-d');
    const record = recordOf(d);
    smtp.fail = true;
    await expect(runMonthlyPack(deps, record, tenantDb(d), new Date())).rejects.toThrow();
    smtp.fail = false;
    expect(await runMonthlyPack(deps, record, tenantDb(d), new Date())).toBe('sent');
    expect(mailsTo(d.ownerEmail)).toHaveLength(1);
    const states = (await tenantDb(d).collection('monthly_pack_claims').find({ month }).sort({ attempt: 1 }).toArray()).map((x) => x.state);
    expect(states).toEqual(['failed', 'sent']);
  });

  it('an owner who opted out gets no pack (and no claim is taken); opting back in sends it', async () => {
    const e = await tenantWithData('pack-e');
    const SET = `mutation($on: Boolean) { updateAutomationSettings(input: { monthlyReportEmail: $on }) { monthlyReportEmail } }`;
    expect((await sys.ok(`{ automationSettings { monthlyReportEmail } }`, {}, { token: e.ownerToken })).automationSettings.monthlyReportEmail).toBe(true);
    expect((await sys.ok(SET, { on: false }, { token: e.ownerToken })).updateAutomationSettings.monthlyReportEmail).toBe(false);
    expect(await runMonthlyPack(deps, recordOf(e), tenantDb(e), new Date())).toBe('opted_out');
    expect(mailsTo(e.ownerEmail)).toHaveLength(0);
    expect(await tenantDb(e).collection('monthly_pack_claims').countDocuments({})).toBe(0);
    await sys.ok(SET, { on: true }, { token: e.ownerToken });
    expect(await runMonthlyPack(deps, recordOf(e), tenantDb(e), new Date())).toBe('sent');
    expect(mailsTo(e.ownerEmail)).toHaveLength(1);
  });
});
