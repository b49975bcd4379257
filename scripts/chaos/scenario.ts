import type { Connection } from 'mongoose';
import { readers, type ReadPlan } from './readers';
import { storm, type Ack, type StormTarget } from './storm';
import { verify } from './verify';

export interface Scenario {
  name: string;
  inject(): Promise<void>;
  heal(): Promise<void>;
  /** Reads sent by `Ctx.readers` clients alongside the write storm. */
  reads?: ReadPlan;
}

export interface ScenarioRow {
  fault: string;
  sent: number;
  failed: number;
  acked: number;
  lost: number;
  duplicatePayments: number;
  ledgerEqualsBalance: boolean;
  recoverySeconds: number | string;
  /** The read load beside the storm: sent, spared reads that failed (must be 0), partial answers, unclear answers (must be 0). */
  reads: number;
  sparedFailed: number;
  partialAnswers: number;
  unclearReads: number;
  detail?: string[];
}

interface Ctx {
  target: StormTarget & { gql: (q: string, v?: Record<string, unknown>, token?: string) => Promise<any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
  tenantDb: Connection;
  platformDb: Connection;
  /** Every write acknowledged so far, across scenarios (each check covers all of them). */
  acked: Ack[];
  clients: number;
  /** Concurrent read clients (0: none). */
  readers?: number;
  stormMs: number;
  faultMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Storm for stormMs; the fault starts after a quarter of it and lasts faultMs; then verify. */
export async function runScenario(s: Scenario, c: Ctx): Promise<ScenarioRow> {
  const started = Date.now();
  let healedAt = 0;
  const done = () => Date.now() - started > c.stormMs;
  const running = storm(c.target, c.clients, `${s.name.split(' ')[0]}${started}`, done);
  const reading = readers(c.target.gatewayUrl, c.target.ownerToken, { id: c.target.studentId }, s.reads ?? {}, c.readers ?? 0, done);
  await sleep(c.stormMs / 4);
  await s.inject();
  await sleep(c.faultMs);
  await s.heal();
  healedAt = Date.now();
  const [r, rd] = await Promise.all([running, reading]);
  c.acked.push(...r.acked);
  const firstOk = r.successes.filter((t) => t >= healedAt).sort((a, b) => a - b)[0];
  // Balances as the API reports them, once everything is ready again.
  const ready = Date.now();
  while (
    Date.now() - ready < 30_000 &&
    (await fetch(c.target.gatewayUrl.replace('/graphql', '/ready')).then(
      (x) => x.status,
      () => 0,
    )) !== 200
  )
    await sleep(250);
  const tenantSms = (await c.target.gql(`{ wallet { sms } }`, {}, c.target.ownerToken)).wallet.sms;
  const masterSms = (await c.target.gql(`{ masterWallet { sms } }`, {}, c.target.superToken)).masterWallet.sms;
  const v = await verify(c.tenantDb, c.platformDb, c.acked, { tenantSms, masterSms });
  return {
    fault: s.name,
    sent: r.sent,
    failed: r.failed,
    acked: r.acked.length,
    lost: v.lost,
    duplicatePayments: v.duplicatePayments,
    ledgerEqualsBalance: v.ledgerOk,
    recoverySeconds: firstOk ? ((firstOk - healedAt) / 1000).toFixed(1) : 'n/a',
    reads: rd.reads,
    sparedFailed: rd.sparedFailed,
    partialAnswers: rd.partialAnswers,
    unclearReads: rd.unclear,
    ...(v.detail.length || rd.samples.length ? { detail: [...v.detail, ...rd.samples] } : {}),
  };
}
