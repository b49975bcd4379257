import mongoose, { Types } from 'mongoose';
import { SUBGRAPHS } from '../scripts/subgraphs';
import { financialYear, istMonth } from '../core/tenant-time';
import { startSystem, type System, type TestTenant } from './helpers/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(() => sys?.stop());

const RECORD = `mutation($i: RecordPaymentInput!) {
  recordPayment(input: $i) {
    id amount currency method status reference paidAt
    invoice { number issuedAt amount } student { id } library { id }
  }
}`;

const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const paymentsOf = (t: TestTenant) => tenantDb(t).collection('payments');
const invoiceNo = (seq: number, at = new Date()) => `INV/${financialYear(at)}/${String(seq).padStart(6, '0')}`;

async function createLibrary(t: TestTenant, name: string): Promise<string> {
  const data = await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity: 30 } }, { token: t.ownerToken });
  return data.createLibrary.id;
}

async function createStudent(t: TestTenant, libraryId: string, name = 'Asha'): Promise<string> {
  const data = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    { i: { name, phone: '9876543210', libraryId } },
    { token: t.ownerToken },
  );
  return data.createStudent.id;
}

/** A tenant with one library and one student. */
async function setup(slug: string) {
  const t = await sys.createTenant(slug, { plan: 'starter' });
  const libraryId = await createLibrary(t, `${slug} Central`);
  const studentId = await createStudent(t, libraryId);
  return { t, libraryId, studentId };
}

const record = (token: string, i: Record<string, unknown>) => sys.gql(RECORD, { i }, { token });

describe('billing subgraph through the gateway', () => {
  it('is registered with the student subgraph it depends on', () => {
    expect(SUBGRAPHS.billing).toBeDefined();
    expect(SUBGRAPHS.student).toBeDefined();
  });

  it('records a payment with its invoice and shows it on the student (name from student, payments from billing)', async () => {
    const { t, libraryId, studentId } = await setup('bill-happy');
    const first = await record(t.ownerToken, { studentId, amount: 150_000, method: 'UPI', reference: 'UTR123' });
    expect(first.errors).toBeUndefined();
    expect(first.data.recordPayment).toMatchObject({
      amount: 150_000,
      currency: 'INR',
      method: 'UPI',
      status: 'PAID',
      reference: 'UTR123',
      invoice: { number: invoiceNo(1), amount: 150_000 },
      student: { id: studentId },
      library: { id: libraryId },
    });
    for (const amount of [200_000, 250_000, 300_000]) {
      expect((await record(t.ownerToken, { studentId, amount, method: 'CASH' })).errors).toBeUndefined();
    }

    const data = await sys.ok(
      `query($id: ID!) { student(id: $id) { name payments(last: 3) { amount invoice { number } } } }`,
      { id: studentId },
      { token: t.ownerToken },
    );
    expect(data.student).toEqual({
      name: 'Asha',
      payments: [
        { amount: 300_000, invoice: { number: invoiceNo(4) } },
        { amount: 250_000, invoice: { number: invoiceNo(3) } },
        { amount: 200_000, invoice: { number: invoiceNo(2) } },
      ],
    });

    const byId = await sys.ok(
      `query($id: ID!) { payment(id: $id) { amount student { name } library { name } } }`,
      { id: first.data.recordPayment.id },
      { token: t.ownerToken },
    );
    expect(byId.payment).toEqual({ amount: 150_000, student: { name: 'Asha' }, library: { name: 'bill-happy Central' } });

    const doc = await paymentsOf(t).findOne({ _id: new Types.ObjectId(first.data.recordPayment.id) });
    expect(doc).toMatchObject({ status: 'paid', method: 'upi', month: istMonth(doc!.paidAt), currency: 'INR' });
    expect(doc!.studentId.toHexString()).toBe(studentId);
    expect(doc!.libraryId.toHexString()).toBe(libraryId);
  });

  it('filters payments by student, library and month, newest first, limited by first', async () => {
    const { t, libraryId, studentId } = await setup('bill-filter');
    const other = await createStudent(t, libraryId, 'Ravi');
    for (const [sid, amount] of [
      [studentId, 100],
      [other, 200],
      [studentId, 300],
    ] as const) {
      expect((await record(t.ownerToken, { studentId: sid, amount, method: 'CARD' })).errors).toBeUndefined();
    }
    const q = `query($f: PaymentFilter, $n: Int) { payments(filter: $f, first: $n) { amount } }`;
    const amounts = async (f: unknown, n?: number) => (await sys.ok(q, { f, n }, { token: t.ownerToken })).payments.map((p: { amount: number }) => p.amount);
    expect(await amounts({ studentId })).toEqual([300, 100]);
    expect(await amounts({ libraryId, month: istMonth(new Date()) })).toEqual([300, 200, 100]);
    expect(await amounts({ month: '2001-01' })).toEqual([]);
    expect(await amounts(null, 2)).toEqual([300, 200]);

    for (const [f, n] of [
      [{ studentId: 'nope' }, 1],
      [{ month: '2026-13' }, 1],
      [null, 0],
      [null, 201],
    ] as const) {
      const res = await sys.gql(q, { f, n }, { token: t.ownerToken });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('batches Student.payments and Payment references into one query per request', async () => {
    const { t, libraryId, studentId } = await setup('bill-batch');
    const others = [await createStudent(t, libraryId, 'Bina'), await createStudent(t, libraryId, 'Chetan')];
    const ids: string[] = [];
    for (const [sid, amount] of [
      [studentId, 1],
      [others[0], 2],
      [studentId, 3],
      [others[1], 4],
      [studentId, 5],
    ] as const) {
      ids.push((await sys.ok(RECORD, { i: { studentId: sid, amount, method: 'CASH' } }, { token: t.ownerToken })).recordPayment.id);
    }
    // Subgraphs run in this process: count the queries billing sends to `payments`.
    const finds: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'payments') finds.push(method);
    });
    try {
      const data = await sys.ok(`{ students { edges { node { name payments(last: 2) { amount } } } } }`, {}, { token: t.ownerToken });
      const byName = Object.fromEntries(data.students.edges.map((e: { node: { name: string; payments: unknown } }) => [e.node.name, e.node.payments]));
      expect(byName).toEqual({ Asha: [{ amount: 5 }, { amount: 3 }], Bina: [{ amount: 2 }], Chetan: [{ amount: 4 }] });
      expect(finds).toEqual(['find']);

      // last: 1 reads at most 3 payments for the batch; Asha's history fills them (5, 4 is Chetan's, 3),
      // so only Bina, left with none, gets a query of her own.
      finds.length = 0;
      const one = await sys.ok(`{ students { edges { node { name payments(last: 1) { amount } } } } }`, {}, { token: t.ownerToken });
      expect(Object.fromEntries(one.students.edges.map((e: { node: { name: string; payments: unknown } }) => [e.node.name, e.node.payments]))).toEqual({
        Asha: [{ amount: 5 }],
        Bina: [{ amount: 2 }],
        Chetan: [{ amount: 4 }],
      });
      expect(finds).toEqual(['find', 'find']);

      finds.length = 0;
      const reps = [...ids, new Types.ObjectId().toHexString(), 'garbage'].map((id) => ({ __typename: 'Payment', id }));
      const ents = await sys.ok(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { amount } } }`,
        { r: reps },
        { token: t.ownerToken, url: sys.subgraphUrls.billing },
      );
      expect(ents._entities).toEqual([{ amount: 1 }, { amount: 2 }, { amount: 3 }, { amount: 4 }, { amount: 5 }, null, null]);
      expect(finds).toEqual(['find']);
    } finally {
      mongoose.set('debug', false);
    }
  });

  it('numbers invoices sequentially with no duplicates or gaps under 5 concurrent payments', async () => {
    const { t, studentId } = await setup('bill-seq');
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => record(t.ownerToken, { studentId, amount: n * 1000, method: 'CASH' })));
    for (const r of results) expect(r.errors).toBeUndefined();
    const numbers = results.map((r) => r.data.recordPayment.invoice.number).sort();
    expect(numbers).toEqual([1, 2, 3, 4, 5].map((n) => invoiceNo(n)));
    expect(await paymentsOf(t).countDocuments()).toBe(5);
    const next = await record(t.ownerToken, { studentId, amount: 6000, method: 'CASH' });
    expect(next.data.recordPayment.invoice.number).toBe(invoiceNo(6));
  });

  it('is idempotent per key, sequentially and when the same request races', async () => {
    const { t, studentId } = await setup('bill-idem');
    const input = { studentId, amount: 99_900, method: 'ONLINE', idempotencyKey: 'order-0001-retry' };
    const a = await record(t.ownerToken, input);
    const b = await record(t.ownerToken, input);
    expect(a.errors).toBeUndefined();
    expect(b.data.recordPayment).toEqual(a.data.recordPayment);
    expect(await paymentsOf(t).countDocuments()).toBe(1);

    const raced = await Promise.all([1, 2, 3].map(() => record(t.ownerToken, { ...input, idempotencyKey: 'order-0002-race' })));
    for (const r of raced) expect(r.errors).toBeUndefined();
    const ids = new Set(raced.map((r) => r.data.recordPayment.id));
    const invoices = new Set(raced.map((r) => r.data.recordPayment.invoice.number));
    expect(ids.size).toBe(1);
    expect(invoices.size).toBe(1);
    expect(await paymentsOf(t).countDocuments({ idempotencyKey: 'order-0002-race' })).toBe(1);
    expect(await paymentsOf(t).countDocuments()).toBe(2);

    // The same key for a different payment is a client bug, not a replay.
    const reused = await record(t.ownerToken, { ...input, amount: 1 });
    expect(reused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    expect(await paymentsOf(t).countDocuments()).toBe(2);
  });

  it('sums paid revenue per library and month, with library names from the tenant subgraph', async () => {
    const { t, libraryId, studentId } = await setup('bill-revenue');
    const lib2 = await createLibrary(t, 'Annexe');
    const student2 = await createStudent(t, lib2, 'Meera');
    for (const [sid, amount] of [
      [studentId, 1000],
      [studentId, 1000],
      [studentId, 2500],
      [student2, 700],
    ] as const) {
      expect((await record(t.ownerToken, { studentId: sid, amount, method: 'CASH' })).errors).toBeUndefined();
    }
    // An older month and a refunded payment, written directly (no API makes them yet).
    const base = { currency: 'INR', method: 'cash', createdAt: new Date(), updatedAt: new Date() };
    await paymentsOf(t).insertMany([
      {
        ...base,
        studentId: new Types.ObjectId(studentId),
        libraryId: new Types.ObjectId(libraryId),
        amount: 5000,
        status: 'paid',
        month: '2025-03',
        paidAt: new Date('2025-03-10T06:00:00Z'),
        invoice: { number: 'INV/2024-25/000001', issuedAt: new Date() },
      },
      {
        ...base,
        studentId: new Types.ObjectId(studentId),
        libraryId: new Types.ObjectId(libraryId),
        amount: 8000,
        status: 'refunded',
        month: '2025-03',
        paidAt: new Date('2025-03-11T06:00:00Z'),
        invoice: { number: 'INV/2024-25/000002', issuedAt: new Date() },
      },
    ]);

    const q = `query($from: String, $to: String) { revenueSummary(fromMonth: $from, toMonth: $to) { library { id name } month total count } }`;
    const now = istMonth(new Date());
    const [first, second] = [libraryId, lib2].sort();
    const names: Record<string, string> = { [libraryId]: 'bill-revenue Central', [lib2]: 'Annexe' };
    const current: Record<string, { total: number; count: number }> = { [libraryId]: { total: 4500, count: 3 }, [lib2]: { total: 700, count: 1 } };
    const row = (id: string) => ({ library: { id, name: names[id] }, month: now, ...current[id] });

    const all = await sys.ok(q, {}, { token: t.ownerToken });
    expect(all.revenueSummary).toEqual([
      { library: { id: libraryId, name: 'bill-revenue Central' }, month: '2025-03', total: 5000, count: 1 },
      row(first),
      row(second),
    ]);
    expect((await sys.ok(q, { from: '2025-01', to: '2025-03' }, { token: t.ownerToken })).revenueSummary).toHaveLength(1);
    expect((await sys.ok(q, { from: now }, { token: t.ownerToken })).revenueSummary).toEqual([row(first), row(second)]);

    for (const vars of [{ from: '2025-13' }, { to: 'March' }, { from: '2025-05', to: '2025-04' }]) {
      const res = await sys.gql(q, vars, { token: t.ownerToken });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('enforces the catalog: staff sees no money, managers record but see no revenue', async () => {
    const { t, studentId } = await setup('bill-perm');
    const manager = await sys.userToken(t, 'manager');
    const staff = await sys.userToken(t, 'staff');

    const byManager = await record(manager, { studentId, amount: 500, method: 'CASH' });
    expect(byManager.errors).toBeUndefined();
    const revenue = await sys.gql(`{ revenueSummary { total } }`, {}, { token: manager });
    expect(revenue.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sys.ok(`{ payments { amount } }`, {}, { token: manager })).payments).toEqual([{ amount: 500 }]);

    const list = await sys.gql(`{ payments { amount } }`, {}, { token: staff });
    expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(list.data?.payments ?? null).toBeNull();

    const byStaff = await record(staff, { studentId, amount: 500, method: 'CASH' });
    expect(byStaff.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const students = await sys.gql(`{ students { edges { node { name payments { amount } } } } }`, {}, { token: staff });
    expect(students.data?.students.edges).toEqual([{ node: { name: 'Asha', payments: null } }]);
    expect(students.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(students.errors?.[0].path).toEqual(['students', 'edges', 0, 'node', 'payments']);

    expect(await paymentsOf(t).countDocuments()).toBe(1);
  });

  it('rejects bad input and writes nothing', async () => {
    const { t, studentId } = await setup('bill-bad');
    const cases: [Record<string, unknown>, string][] = [
      [{ studentId, amount: 0, method: 'CASH' }, 'BAD_USER_INPUT'],
      [{ studentId, amount: -500, method: 'CASH' }, 'BAD_USER_INPUT'],
      [{ studentId, amount: 100_000_001, method: 'CASH' }, 'BAD_USER_INPUT'],
      [{ studentId, amount: 2 ** 40, method: 'CASH' }, 'BAD_USER_INPUT'],
      [{ studentId, amount: 10.5, method: 'CASH' }, 'BAD_USER_INPUT'],
      [{ studentId, amount: 100, method: 'CHEQUE' }, 'BAD_USER_INPUT'],
      [{ studentId, amount: 100, method: 'CASH', reference: 'x'.repeat(101) }, 'BAD_USER_INPUT'],
      [{ studentId, amount: 100, method: 'CASH', idempotencyKey: 'short' }, 'BAD_USER_INPUT'],
      [{ studentId: 'not-an-id', amount: 100, method: 'CASH' }, 'BAD_USER_INPUT'],
      [{ studentId: new Types.ObjectId().toHexString(), amount: 100, method: 'CASH' }, 'NOT_FOUND'],
    ];
    for (const [input, code] of cases) {
      const res = await record(t.ownerToken, input);
      expect({ input, code: res.errors?.[0].extensions?.code }).toEqual({ input, code });
    }
    const malformed = await sys.gql(`{ payment(id: "zzz") { id } }`, {}, { token: t.ownerToken });
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(await paymentsOf(t).countDocuments()).toBe(0);
    // No invoice number was taken either: the next payment is still 000001.
    const ok = await record(t.ownerToken, { studentId, amount: 100, method: 'CASH' });
    expect(ok.data.recordPayment.invoice.number).toBe(invoiceNo(1));
  });

  it("isolates tenants: B cannot read, record against or resolve A's payments", async () => {
    const a = await setup('bill-iso-a');
    const b = await sys.createTenant('bill-iso-b');
    const paid = await record(a.t.ownerToken, { studentId: a.studentId, amount: 4200, method: 'UPI' });
    const paymentId = paid.data.recordPayment.id;

    const read = await sys.gql(`query($id: ID!) { payment(id: $id) { id amount } }`, { id: paymentId }, { token: b.ownerToken });
    expect(read.errors).toBeUndefined();
    expect(read.data.payment).toBeNull();
    expect((await sys.ok(`{ payments { id } }`, {}, { token: b.ownerToken })).payments).toEqual([]);
    const filtered = await sys.ok(`query($s: ID) { payments(filter: { studentId: $s }) { id } }`, { s: a.studentId }, { token: b.ownerToken });
    expect(filtered.payments).toEqual([]);

    const forA = await record(b.ownerToken, { studentId: a.studentId, amount: 100, method: 'CASH' });
    expect(forA.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(await paymentsOf(b).countDocuments()).toBe(0);

    const entities = await sys.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { id amount } ... on Student { payments { id } } } }`,
      {
        r: [
          { __typename: 'Payment', id: paymentId },
          { __typename: 'Student', id: a.studentId },
        ],
      },
      { token: b.ownerToken, url: sys.subgraphUrls.billing },
    );
    expect(entities.errors).toBeUndefined();
    // Another tenant's student is null, not a made-up student without payments (issue 15 item 7).
    expect(entities.data._entities).toEqual([null, null]);
    expect(await paymentsOf(a.t).countDocuments()).toBe(1);
  });
});
