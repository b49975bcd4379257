import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Types, type Connection } from 'mongoose';
import { addDays } from '../../core/tenant-time';
import { DbManager } from '../../core/tenancy/db';
import { upsertPlatformUser } from '../../subgraphs/tenant/platform-user.service';
import { Cluster, clusterEnv } from '../chaos/cluster';
import { setupChaosData } from '../chaos/seed';

/**
 * Large streamed exports (docs/performance.md "Document exports"): every service as its own
 * process (scripts/chaos/cluster.ts), a tenant seeded in bulk straight into its database in
 * the shape the services write (BENCH_STUDENTS students, a year of visits, BENCH_VISITS_PER_DAY
 * a day), then studentsExport and attendanceExport downloaded through the gateway. Prints,
 * per export: duration, bytes, rows, and the student subgraph process's RSS before and its
 * peak during the download (VmRSS sampled from /proc/<pid>/status every 20 ms, and VmHWM).
 *   npm run bench:documents      (needs MONGODB_URI; builds dist/ first)
 *   BENCH_HEAP_MB=64 npm run bench:documents   (the same with a 64 MiB old-space cap per service)
 */
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 10_000);
const VISITS_PER_DAY = Number(process.env.BENCH_VISITS_PER_DAY ?? 300);
const FROM = '2025-12-01';
const TO = '2026-11-30';
const PASSWORD = 'bench-documents-password';
const BATCH = 2000;

/** A process's memory in MiB from /proc (Linux): current resident set and its high-water mark. */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

async function insertInBatches(coll: ReturnType<Connection['collection']>, total: number, make: (i: number) => Record<string, unknown>) {
  for (let i = 0; i < total; i += BATCH) {
    await coll.insertMany(
      Array.from({ length: Math.min(BATCH, total - i) }, (_, k) => make(i + k)),
      { ordered: false },
    );
  }
}

/** Downloads a link through the gateway, counting bytes (nothing kept), sampling the subgraph's memory. */
async function measure(gateway: string, url: string, pid: number) {
  const before = memory(pid);
  let peak = before.rss;
  const sampler = setInterval(() => (peak = Math.max(peak, memory(pid).rss)), 20);
  const start = performance.now();
  const res = await fetch(new URL(url, gateway));
  if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  let bytes = 0;
  let firstByteMs = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (!bytes) firstByteMs = performance.now() - start;
    bytes += chunk.length;
  }
  const ms = performance.now() - start;
  clearInterval(sampler);
  const after = memory(pid);
  peak = Math.max(peak, after.rss);
  return {
    seconds: +(ms / 1000).toFixed(1),
    firstByteMs: Math.round(firstByteMs),
    mib: +(bytes / 1048576).toFixed(2),
    rssBeforeMiB: Math.round(before.rss),
    rssPeakMiB: Math.round(peak),
    rssGrowthMiB: Math.round(peak - before.rss),
    hwmBeforeMiB: Math.round(before.hwm),
    hwmAfterMiB: Math.round(after.hwm),
  };
}

async function main() {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is required');
  const prefix = `b${randomBytes(4).toString('hex')}_`;
  // BENCH_HEAP_MB caps every service's V8 old space: an export that held its rows would die; one that streams runs.
  const heap: Record<string, string> = process.env.BENCH_HEAP_MB ? { NODE_OPTIONS: `--max-old-space-size=${process.env.BENCH_HEAP_MB}` } : {};
  const cluster = new Cluster(clusterEnv(uri, prefix, heap));
  const db = await DbManager.connect(uri, prefix);
  try {
    await upsertPlatformUser(db, { email: 'bench@studyspot.test', name: 'Bench', password: PASSWORD, role: 'super_admin' });
    await cluster.start();
    const gatewayUrl = cluster.gatewayUrl;
    const { slug, ownerToken, gql } = await setupChaosData(gatewayUrl, 'bench@studyspot.test', PASSWORD);
    const libraryId = new Types.ObjectId((await gql(`{ libraries { id } }`, {}, ownerToken)).libraries[0].id as string);
    const conn = db.tenant(db.tenantDbName(slug));

    let t0 = performance.now();
    const studentIds: Types.ObjectId[] = [];
    const joinedAt = new Date('2025-11-01T04:30:00Z');
    await insertInBatches(conn.collection('students'), STUDENTS, (i) => {
      const _id = new Types.ObjectId();
      studentIds.push(_id);
      const name = `Student ${String(i).padStart(5, '0')}`;
      return {
        _id,
        name,
        nameLower: name.toLowerCase(),
        phone: `98${String(10_000_000 + i)}`,
        email: `s${i}@bench.test`,
        status: 'active',
        libraryId,
        joinedAt,
        activeAt: joinedAt,
        createdAt: joinedAt,
        updatedAt: joinedAt,
      };
    });
    const seedStudentsS = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const days: string[] = [];
    for (let d = FROM; d <= TO; d = addDays(d, 1)) days.push(d);
    await insertInBatches(conn.collection('attendance'), days.length * VISITS_PER_DAY, (i) => {
      const day = days[Math.floor(i / VISITS_PER_DAY)];
      const checkInAt = new Date(`${day}T08:00:00+05:30`);
      checkInAt.setMinutes((i % 600) + 0);
      const minutes = 60 + (i % 240);
      return {
        studentId: studentIds[(i * 7919) % studentIds.length],
        libraryId,
        checkInAt,
        checkOutAt: new Date(checkInAt.getTime() + minutes * 60_000),
        openKey: `closed:${new Types.ObjectId().toHexString()}`,
        day,
        minutes,
        createdAt: checkInAt,
        updatedAt: checkInAt,
      };
    });
    const seedVisitsS = (performance.now() - t0) / 1000;
    const visits = days.length * VISITS_PER_DAY;

    const pid = cluster.pid('student')!;
    const students = (await gql(`{ studentsExport { url } }`, {}, ownerToken)).studentsExport.url as string;
    const studentsRun = await measure(gatewayUrl, students, pid);
    const attendance = (await gql(`query($f: String!, $t: String!) { attendanceExport(from: $f, to: $t) { url } }`, { f: FROM, t: TO }, ownerToken))
      .attendanceExport.url as string;
    const attendanceRun = await measure(gatewayUrl, attendance, pid);
    console.log(
      JSON.stringify(
        {
          heapCapMiB: process.env.BENCH_HEAP_MB ? Number(process.env.BENCH_HEAP_MB) : null,
          seeded: { students: STUDENTS + 1, visits, days: days.length, seedStudentsS: +seedStudentsS.toFixed(1), seedVisitsS: +seedVisitsS.toFixed(1) },
          studentsExport: { rows: STUDENTS + 1, ...studentsRun },
          attendanceExport: { rows: visits, ...attendanceRun },
        },
        null,
        2,
      ),
    );
  } finally {
    await cluster.stop();
    const admin = db.platform().db!.admin();
    const { databases } = await admin.listDatabases({ nameOnly: true });
    for (const { name } of databases) if (name.startsWith(prefix)) await db.tenant(name).dropDatabase();
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
