import { Types } from 'mongoose';
import type { DbManager } from '../../../core/tenancy/db';
import { mintToken, pool } from './client';
import type { BenchTenant } from './seed';

/**
 * W4: provisions `n` tenants straight in the database (registry entry, one
 * library, `students` students each) — 1,000 createTenant calls would take
 * longer than the benchmark. Same documents the services write, minus indexes.
 * Tenant k lives on cluster `clusters[k % clusters.length]`.
 */
export async function provisionTenants(db: DbManager, from: number, to: number, students = 3, clusters = ['default']): Promise<BenchTenant[]> {
  const now = new Date();
  const rows = Array.from({ length: to - from }, (_, k) => {
    const slug = `scale-${from + k}`;
    const cluster = clusters[(from + k) % clusters.length];
    return {
      _id: new Types.ObjectId(),
      name: `Scale ${from + k}`,
      slug,
      status: 'active',
      plan: 'enterprise',
      limits: { maxLibraries: 100, maxStudents: 100000, maxStaff: 1000 },
      branding: {},
      dbName: db.tenantDbName(slug, cluster),
      cluster,
      createdAt: now,
      updatedAt: now,
    };
  });
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .platform()
      .collection('tenants')
      .insertMany(rows.slice(i, i + 1000));
  await pool(rows, 8, async (r) => {
    const conn = db.tenant(r.dbName);
    const libraryId = new Types.ObjectId();
    await conn.collection('libraries').insertOne({
      _id: libraryId,
      name: `Hall ${r.slug}`,
      capacity: 40,
      openingTime: '06:00',
      closingTime: '22:00',
      status: 'active',
      statusReason: null,
      latitude: null,
      longitude: null,
      amenities: [],
      createdAt: now,
      updatedAt: now,
    });
    await conn.collection('students').insertMany(
      Array.from({ length: students }, (_, i) => ({
        name: `Student ${i}`,
        nameLower: `student ${i}`,
        phone: `98765${String(10000 + i)}`,
        status: 'active',
        libraryId,
        joinedAt: now,
        activeAt: now,
        createdAt: now,
        updatedAt: now,
      })),
    );
  });
  return rows.map((r) => {
    const t = { id: r._id.toHexString(), slug: r.slug };
    return { ...t, token: mintToken('owner', t, `owner-${r.slug}`) };
  });
}

/**
 * W2: `n` students spread over `libraryIds`, each with `payments` payments, written
 * straight to the tenant database (1,000 createStudent + recordPayment calls take
 * over 10 minutes on FerretDB here). Same documents the subgraphs write.
 */
export async function seedStudentsDirect(db: DbManager, dbName: string, libraryIds: string[], n: number, payments: number): Promise<void> {
  const conn = db.tenant(dbName);
  const now = Date.now();
  const students = Array.from({ length: n }, (_, i) => {
    const at = new Date(now - (n - i) * 1000); // distinct, increasing: the list pages newest first
    return {
      _id: Types.ObjectId.createFromTime(Math.floor(at.getTime() / 1000)),
      name: `Student ${i}`,
      nameLower: `student ${i}`,
      phone: `9${String(100000000 + i).slice(-9)}`,
      status: 'active',
      libraryId: new Types.ObjectId(libraryIds[i % libraryIds.length]),
      joinedAt: at,
      activeAt: at,
      createdAt: at,
      updatedAt: at,
    };
  });
  for (let i = 0; i < students.length; i += 500) await conn.collection('students').insertMany(students.slice(i, i + 500));
  const docs = students.flatMap((s, i) =>
    Array.from({ length: payments }, (_, k) => {
      const paidAt = new Date(now - (payments - k) * 86_400_000);
      return {
        studentId: s._id,
        libraryId: s.libraryId,
        amount: 100000 + k,
        currency: 'INR',
        method: 'upi',
        status: 'paid',
        month: paidAt.toISOString().slice(0, 7),
        paidAt,
        invoice: { number: `BENCH/${i}/${k}`, issuedAt: paidAt },
        createdAt: paidAt,
      };
    }),
  );
  for (let i = 0; i < docs.length; i += 1000) await conn.collection('payments').insertMany(docs.slice(i, i + 1000));
}
