import type { Cluster } from './cluster';
import type { FerretProcess } from './ferret';
import type { Scenario } from './scenario';

// Reads beside the storm. Credits owns only non-null fields (wallet), so a credits
// fault can take a wallet read down whole; billing owns the nullable Student.payments.
const LIBS_STUDENT = `query($id: ID!) { libraries { name } student(id: $id) { name } }`;
const LIBS_STUDENT_PAYMENTS = `query($id: ID!) { libraries { name } student(id: $id) { name payments(last: 3) { amount } } }`;
const WALLET = `{ wallet { sms } }`;

/** The four faults of `npm run chaos` (and of tests/processes.test.ts). */
export function chaosScenarios(cluster: Cluster, ferret?: FerretProcess): Scenario[] {
  const creditsReads = { spared: LIBS_STUDENT_PAYMENTS, partial: { query: WALLET } };
  return [
    {
      name: 'subgraph down (SIGTERM credits)',
      inject: () => cluster.kill('credits', 'SIGTERM'),
      heal: () => cluster.startService('credits'),
      reads: creditsReads,
    },
    {
      name: 'subgraph slow (credits +12 s > 10 s timeout)',
      inject: async () => void (cluster.proxy.delayMs = 12_000),
      heal: async () => void (cluster.proxy.delayMs = 0),
      reads: creditsReads,
    },
    ...(ferret
      ? [
          {
            name: 'database down (kill -9 FerretDB)',
            inject: () => ferret.stop('SIGKILL'),
            heal: () => ferret.start(),
            reads: { partial: { query: LIBS_STUDENT } },
          },
        ]
      : []),
    {
      name: 'kill -9 credits + billing mid-storm',
      inject: async () => void (await Promise.all([cluster.kill('credits', 'SIGKILL'), cluster.kill('billing', 'SIGKILL')])),
      heal: async () => void (await Promise.all([cluster.startService('credits'), cluster.startService('billing')])),
      reads: { spared: LIBS_STUDENT, partial: { query: LIBS_STUDENT_PAYMENTS, keep: 'student.name' } },
    },
  ];
}
