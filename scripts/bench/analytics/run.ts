import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Types } from 'mongoose';
import { addDays, istDay, istMidnight } from '../../../core/tenant-time';
import { startSystem, type System } from '../../../tests/helpers/system';
import { percentiles } from '../stats';
import { PARTS } from './parts';
import type { AnalyticsBenchTenant, AnalyticsCase } from './types';

/**
 * `npm run bench:analytics`: one tenant with 10,000 students (5 libraries) and a year
 * of attendance written straight to its database in bulk (the documents checkIn and
 * checkOut write), each part's seed, then every part's queries timed through the
 * gateway: warm-up, then BENCH_RUNS sequential runs each; p50/p95 against 200 ms.
 */
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 10_000);
const LIBRARIES = 5;
/** Chance that an enrolled student comes on a given day. */
const VISIT_RATE = Number(process.env.BENCH_VISIT_RATE ?? 0.6);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 3;
const TARGET_MS = 200;
const BATCH = 5_000;
const DAY_MS = 86_400_000;

/** Deterministic numbers: the same history on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Check-in hours of a study library: morning, afternoon and evening peaks. */
const HOURS = [6, 7, 7, 8, 8, 8, 9, 9, 10, 11, 12, 13, 14, 14, 15, 16, 17, 18, 18, 19, 20, 21];

async function seedHistory(t: Omit<AnalyticsBenchTenant, 'studentIds'>): Promise<{ studentIds: Types.ObjectId[]; visits: number }> {
  const rnd = prng(18);
  const students = t.conn.collection('students');
  const attendance = t.conn.collection('attendance');
  const firstDay = istDay(t.from);
  const days = Math.round((t.to.getTime() - t.from.getTime()) / DAY_MS);
  const studentIds: Types.ObjectId[] = [];
  let pending: Record<string, unknown>[] = [];
  let visits = 0;
  const flush = async (force = false) => {
    if (pending.length < BATCH && !(force && pending.length)) return;
    const docs = pending;
    pending = [];
    visits += docs.length;
    await attendance.insertMany(docs, { ordered: false });
  };
  const studentDocs: Record<string, unknown>[] = [];
  for (let i = 0; i < STUDENTS; i++) {
    const _id = new Types.ObjectId();
    const libraryId = t.libraryIds[i % t.libraryIds.length]!;
    // A third enrolled before the year, the rest during it; each stays for a while, then stops coming.
    const joinOffset = i % 3 === 0 ? -Math.floor(rnd() * 180) : Math.floor(rnd() * days);
    const stay = 30 + Math.floor(-Math.log(1 - rnd()) * 150);
    const joinedAt = new Date(istMidnight(addDays(firstDay, joinOffset)) + (9 + Math.floor(rnd() * 9)) * 3_600_000);
    let last: Date | null = null;
    for (let d = Math.max(0, joinOffset); d < Math.min(days, joinOffset + stay); d++) {
      if (rnd() >= VISIT_RATE) continue;
      const dayStr = addDays(firstDay, d);
      const checkInAt = new Date(istMidnight(dayStr) + HOURS[Math.floor(rnd() * HOURS.length)]! * 3_600_000 + Math.floor(rnd() * 60) * 60_000);
      const minutes = 60 + Math.floor(rnd() * 300);
      pending.push({
        studentId: _id,
        libraryId,
        checkInAt,
        checkOutAt: new Date(checkInAt.getTime() + minutes * 60_000),
        openKey: `closed:${new Types.ObjectId().toHexString()}`,
        day: dayStr,
        minutes,
        createdAt: checkInAt,
        updatedAt: checkInAt,
      });
      last = checkInAt;
      await flush();
    }
    studentIds.push(_id);
    studentDocs.push({
      _id,
      name: `Student ${i}`,
      nameLower: `student ${i}`,
      phone: `9${String(100000000 + i)}`,
      status: 'active',
      libraryId,
      joinedAt,
      activeAt: last ?? joinedAt,
      ...(last ? { lastCheckInAt: last } : {}),
      createdAt: joinedAt,
      updatedAt: last ?? joinedAt,
    });
  }
  await flush(true);
  for (let i = 0; i < studentDocs.length; i += BATCH) await students.insertMany(studentDocs.slice(i, i + BATCH), { ordered: false });
  return { studentIds, visits };
}

async function time(sys: System, token: string, c: AnalyticsCase): Promise<{ samples: number[]; error?: string }> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const started = performance.now();
    const res = await sys.gql(c.query, c.variables ?? {}, { token });
    const ms = performance.now() - started;
    if (res.errors?.length) return { samples, error: JSON.stringify(res.errors[0]).slice(0, 200) };
    if (i >= WARMUP) samples.push(ms);
  }
  return { samples };
}

async function main(): Promise<number> {
  if (!process.env.MONGODB_URI) {
    console.error('MONGODB_URI is not set, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/ npm run bench:analytics');
    return 2;
  }
  const load = os.loadavg().map((l) => l.toFixed(2));
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, node ${process.version}, load avg ${load.join(' ')}`);
  console.log(
    `settings: ${STUDENTS} students, ${LIBRARIES} libraries, visit rate ${VISIT_RATE}/day while enrolled, ${WARMUP} warm-up + ${RUNS} runs per case\n`,
  );
  const sys = await startSystem({ RATE_LIMIT_IP: '0', RATE_LIMIT_USER: '0', RATE_LIMIT_TENANT: '0' });
  try {
    const started = Date.now();
    const tenant = await sys.createTenant('bench-analytics', { plan: 'enterprise', limits: { maxLibraries: 20, maxStudents: STUDENTS + 100, maxStaff: 20 } });
    const libraryIds: Types.ObjectId[] = [];
    for (let i = 0; i < LIBRARIES; i++) {
      const res = await sys.ok(
        'mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }',
        { i: { name: `Hall ${i + 1}`, capacity: 400 } },
        {
          token: tenant.ownerToken,
        },
      );
      libraryIds.push(new Types.ObjectId(res.createLibrary.id as string));
    }
    // The year before today (tenant time, IST): [from, to).
    const today = istDay(new Date());
    const to = new Date(istMidnight(today));
    const from = new Date(istMidnight(addDays(today, -365)));
    const base = {
      tenantId: tenant.id,
      slug: tenant.slug,
      token: tenant.ownerToken,
      conn: sys.db.tenant(sys.db.tenantDbName(tenant.slug)),
      libraryIds,
      from,
      to,
    };
    const { studentIds, visits } = await seedHistory(base);
    console.log(
      `history: ${studentIds.length} students, ${visits} visits from ${istDay(from)} to ${istDay(new Date(to.getTime() - 1))}, written in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    const t: AnalyticsBenchTenant = { ...base, studentIds };
    for (const part of PARTS) {
      const s = Date.now();
      await part.seed(t);
      console.log(`seed ${part.name}: ${((Date.now() - s) / 1000).toFixed(1)} s`);
    }
    console.log(`\n| part | case | p50 ms | p95 ms | max ms | p95 < ${TARGET_MS} ms |\n|---|---|---:|---:|---:|---|`);
    let failures = 0;
    for (const part of PARTS) {
      for (const c of part.cases(t)) {
        const { samples, error } = await time(sys, t.token, c);
        if (error) {
          failures++;
          console.log(`| ${part.name} | ${c.name} | error: ${error} | | | |`);
          continue;
        }
        const p = percentiles(samples);
        console.log(`| ${part.name} | ${c.name} | ${p.p50.toFixed(1)} | ${p.p95.toFixed(1)} | ${p.max.toFixed(1)} | ${p.p95 < TARGET_MS ? 'yes' : '**no**'} |`);
      }
    }
    console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return failures ? 1 : 0;
  } finally {
    await sys.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
