import { randomBytes } from 'node:crypto';
import type { Client, TestTenant } from './client';

export interface TenantData {
  libraryId: string;
  studentId: string;
  paymentId: string;
  messageId: string;
  bookingId: string;
  templateId: string;
  notificationId?: string;
}

/** One of everything in a tenant, created through the gateway with the owner's token. */
export async function seedTenantData(sys: Client, t: TestTenant, credits = 20): Promise<TenantData> {
  const opts = { token: t.ownerToken };
  const lib = await sys.ok(`mutation { createLibrary(input: { name: "Main ${t.slug}", city: "Pune", capacity: 50 }) { id } }`, {}, opts);
  const libraryId = lib.createLibrary.id;
  const st = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    {
      i: {
        name: `Student ${t.slug}`,
        phone: '9876543210',
        parentPhone: '9876500000',
        email: `s@${t.slug}.test`,
        libraryId,
        idProof: { type: 'aadhaar', number: '1234-5678' },
      },
    },
    opts,
  );
  const studentId = st.createStudent.id;
  const booking = await sys.ok(
    `mutation($i: BookSeatInput!) { bookSeat(input: $i) { id } }`,
    { i: { studentId, libraryId, seatNumber: 7, date: '2026-12-01' } },
    opts,
  );
  await sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: studentId }, opts);
  const pay = await sys.ok(
    `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
    { i: { studentId, amount: 250000, method: 'UPI', idempotencyKey: `fixture-${randomBytes(4).toString('hex')}` } },
    opts,
  );
  // Allocations draw from the platform master wallet: stock it from a vendor first.
  const vendor = await sys.ok(
    `mutation($i: CreateVendorInput!) { createVendor(input: $i) { id } }`,
    { i: { name: `Fixture ${t.slug}`, channel: 'SMS', costPaisePerCredit: 10 } },
    { token: sys.superToken },
  );
  await sys.ok(
    `mutation($v: ID!, $n: Int!, $k: String!) { purchaseCreditsFromVendor(vendorId: $v, credits: $n, idempotencyKey: $k) { id } }`,
    { v: vendor.createVendor.id, n: Math.max(credits, 1), k: `fixture-${t.slug}-stock` },
    { token: sys.superToken },
  );
  await sys.ok(
    `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { sms } }`,
    { i: { tenantId: t.id, channel: 'SMS', amount: credits, idempotencyKey: `fixture-${t.slug}-sms` } },
    { token: sys.superToken },
  );
  const tpl = await sys.ok(`mutation { createTemplate(input: { name: "Reminder", channel: SMS, body: "Hi {#name#}, fees due" }) { id } }`, {}, opts);
  const msg = await sys.ok(
    `mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }`,
    { i: { studentId, channel: 'SMS', templateId: tpl.createTemplate.id, variables: [{ name: 'name', value: 'Asha' }] } },
    opts,
  );
  return {
    libraryId,
    studentId,
    paymentId: pay.recordPayment.id,
    messageId: msg.sendMessage.id,
    bookingId: booking.bookSeat.id,
    templateId: tpl.createTemplate.id,
  };
}

export const randomKey = () => randomBytes(8).toString('hex');

/** Stocks the platform master wallet (allocations draw from it): one vendor purchase per channel. */
export async function stockMasterWallet(sys: Client, credits = 1_000_000): Promise<void> {
  for (const channel of ['SMS', 'WHATSAPP', 'EMAIL']) {
    const v = await sys.ok(
      `mutation($i: CreateVendorInput!) { createVendor(input: $i) { id } }`,
      { i: { name: 'Stock', channel, costPaisePerCredit: 1 } },
      { token: sys.superToken },
    );
    await sys.ok(
      `mutation($v: ID!, $c: Int!) { purchaseCreditsFromVendor(vendorId: $v, credits: $c, idempotencyKey: "stock-${channel}") { id } }`,
      { v: v.createVendor.id, c: credits },
      { token: sys.superToken },
    );
  }
}
