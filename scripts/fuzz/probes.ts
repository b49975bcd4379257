import fc from 'fast-check';

/** The tenant whose data nobody else may see or change, and who attacks it. */
export interface ProbeTarget {
  gatewayUrl: string;
  subgraphUrls: Record<string, string>;
  victim: { id: string; slug: string; ids: Record<'student' | 'library' | 'payment' | 'booking' | 'template' | 'message', string> };
  /** Tokens of another tenant's users (owner, manager, staff). */
  attackers: string[];
  /** Strings only the victim's data contains (ids, names, emails). */
  markers: string[];
}

type Ids = ProbeTarget['victim']['ids'] & { tenant: string };
interface Probe {
  kind: string;
  url: (t: ProbeTarget) => string;
  query: string;
  vars: (ids: Ids, k: string) => Record<string, unknown>;
}

const gw = (t: ProbeTarget) => t.gatewayUrl;
const sg = (name: string) => (t: ProbeTarget) => t.subgraphUrls[name];
const read = (query: string, vars: Probe['vars'] = () => ({})): Probe => ({ kind: 'query', url: gw, query, vars });
const write = (query: string, vars: Probe['vars']): Probe => ({ kind: 'mutation', url: gw, query, vars });
const entities = (
  subgraph: string,
  typename: string,
  selection: string,
  extra: Record<string, unknown> = {},
  key: keyof Ids = typename.toLowerCase() as keyof Ids,
): Probe => ({
  kind: '_entities',
  url: sg(subgraph),
  query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
  vars: (ids) => ({ r: [{ __typename: typename, id: ids[key], ...extra }] }),
});

export const PROBES: Probe[] = [
  read('query($id: ID!) { student(id: $id) { name phone email payments { amount } messages { body } messageCount } }', (i) => ({ id: i.student })),
  read('query($id: ID!) { library(id: $id) { name capacity occupancy { occupied } } }', (i) => ({ id: i.library })),
  read('query($id: ID!) { payment(id: $id) { amount invoice { number } } }', (i) => ({ id: i.payment })),
  read('query($id: ID!) { bookings(studentId: $id) { id } }', (i) => ({ id: i.student })),
  read('query($id: ID!) { attendance(studentId: $id) { id } }', (i) => ({ id: i.student })),
  read('query($id: ID!) { payments(filter: { studentId: $id }) { id amount } }', (i) => ({ id: i.student })),
  read('query($id: ID!) { messages(studentId: $id) { id body } }', (i) => ({ id: i.student })),
  read('query($id: ID!) { students(filter: { libraryId: $id }) { totalCount edges { node { id name } } } }', (i) => ({ id: i.library })),
  read('{ students { edges { node { id name email } } } libraries { id name } payments { id } messages { id body } templates { id name } }'),
  read('{ tenant { id name slug wallet { sms ledger { delta } } } me { __typename } }'),
  read('{ notifications { id title } auditLog { entityId } }'),
  write('mutation($id: ID!) { updateStudent(id: $id, input: { name: "pwned" }) { id name } }', (i) => ({ id: i.student })),
  write('mutation($id: ID!) { deleteStudent(id: $id) }', (i) => ({ id: i.student })),
  write('mutation($id: ID!) { checkIn(studentId: $id) { id } }', (i) => ({ id: i.student })),
  write('mutation($id: ID!) { checkOut(studentId: $id) { id } }', (i) => ({ id: i.student })),
  write('mutation($id: ID!) { cancelBooking(id: $id) { id } }', (i) => ({ id: i.booking })),
  write('mutation($s: ID!, $l: ID!) { bookSeat(input: { studentId: $s, libraryId: $l, seatNumber: 3, date: "2026-12-03" }) { id } }', (i) => ({
    s: i.student,
    l: i.library,
  })),
  write('mutation($id: ID!) { updateLibrary(id: $id, input: { name: "pwned" }) { id name } }', (i) => ({ id: i.library })),
  write('mutation($l: ID!) { createStudent(input: { name: "x", phone: "9999999999", libraryId: $l }) { id } }', (i) => ({ l: i.library })),
  write('mutation($s: ID!, $k: String) { recordPayment(input: { studentId: $s, amount: 100, method: CASH, idempotencyKey: $k }) { id } }', (i, k) => ({
    s: i.student,
    k,
  })),
  write('mutation($s: ID!) { sendMessage(input: { studentId: $s, channel: SMS, body: "hello" }) { id } }', (i) => ({ s: i.student })),
  write('mutation($id: ID!) { markNotificationRead(id: $id) { id } }', (i) => ({ id: i.message })),
  entities('student', 'Student', 'name phone email'),
  entities('billing', 'Student', 'payments { amount }'),
  entities('messaging', 'Student', 'messages { body } messageCount'),
  entities('tenant', 'Library', 'name capacity'),
  entities('student', 'Library', 'occupancy { occupied }', { capacity: 50 }),
  entities('tenant', 'Tenant', 'name slug'),
  entities('credits', 'Tenant', 'wallet { sms ledger { delta } }'),
  entities('billing', 'Payment', 'amount'),
];

export interface ProbeReport {
  sent: number;
  byKind: Record<string, number>;
  leaks: string[];
  failures: string[];
}

/** `n` randomized probes (probe × attacker × x-tenant header × id swaps), `concurrency` at a time. */
export async function runProbes(t: ProbeTarget, n: number, seed: number, concurrency = 8): Promise<ProbeReport> {
  const ids: Ids = { ...t.victim.ids, tenant: t.victim.id };
  const keys = Object.keys(ids) as (keyof Ids)[];
  const plan = fc.sample(
    fc.record({
      probe: fc.nat(PROBES.length - 1),
      attacker: fc.nat(t.attackers.length - 1),
      header: fc.boolean(),
      // Sometimes every id becomes another of the victim's ids (wrong type, same tenant).
      swap: fc.option(fc.constantFrom(...keys), { freq: 4 }),
      key: fc.string({ minLength: 8, maxLength: 16 }),
    }),
    { numRuns: n, seed },
  );
  const report: ProbeReport = { sent: 0, byKind: {}, leaks: [], failures: [] };
  let next = 0;
  const worker = async () => {
    for (let p = plan[next++]; p; p = plan[next++]) {
      const probe = PROBES[p.probe];
      const swapped = p.swap ? (Object.fromEntries(keys.map((k) => [k, ids[p.swap!]])) as Ids) : ids;
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${t.attackers[p.attacker]}` };
      if (p.header) headers['x-tenant'] = t.victim.slug;
      report.sent++;
      report.byKind[probe.kind] = (report.byKind[probe.kind] ?? 0) + 1;
      try {
        const res = await fetch(probe.url(t), { method: 'POST', headers, body: JSON.stringify({ query: probe.query, variables: probe.vars(swapped, p.key) }) });
        const text = await res.text();
        const hit = t.markers.find((m) => text.includes(m));
        if (hit) report.leaks.push(`${probe.query.slice(0, 60)} → contains ${hit}: ${text.slice(0, 200)}`);
        // A probe that does not validate tests nothing: count it as a failure of the harness.
        if (res.status >= 500 || /GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED/.test(text)) report.failures.push(`${res.status}: ${text.slice(0, 200)}`);
      } catch (err) {
        report.failures.push(`${probe.kind}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return report;
}
