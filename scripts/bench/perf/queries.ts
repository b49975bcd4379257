import type { SubgraphName } from '../../../core/config';

/** W1: one query over all five subgraphs (same shape as tests/federation.test.ts). */
export const DASHBOARD = `query Dashboard {
  me { role tenant { name wallet { sms } } }
  libraries { name capacity occupancy { occupied free percent } }
  students(first: 10) {
    totalCount
    edges { node { name phone library { name } payments(last: 3) { amount invoice { number } } messages { body } messageCount } }
  }
  revenueSummary { month total count library { name } }
  notifications { title }
}`;

const STUDENT_FIELDS = 'edges { node { id name library { name } payments(last: 3) { amount } messageCount } }';

/**
 * W2: `n` students with library name, last 3 payments and message count, plus the
 * wallet. The API pages at 100, so more than 100 are aliased pages of one request.
 */
export function studentList(n: number, cursors: (string | null)[]): string {
  const pages = Math.ceil(n / 100);
  const size = Math.min(n, 100);
  const fields = Array.from(
    { length: pages },
    (_, p) => `p${p}: students(first: ${size}${cursors[p] ? `, after: "${cursors[p]}"` : ''}) { ${STUDENT_FIELDS} }`,
  );
  return `query StudentList { tenant { wallet { sms } } ${fields.join(' ')} }`;
}

/** Student nodes in a W2 response (every page). */
export function countStudents(data: Record<string, { edges?: unknown[] }>): number {
  return Object.entries(data)
    .filter(([k]) => k.startsWith('p'))
    .reduce((s, [, v]) => s + (v.edges?.length ?? 0), 0);
}

/** Per subgraph, a query it answers alone: sent to it directly and through the gateway. */
export const DIRECT: Record<SubgraphName, string> = {
  tenant: '{ libraries { id name capacity } }',
  student: '{ students(first: 10) { edges { node { id name phone } } } }',
  billing: '{ payments(first: 10) { id amount } }',
  credits: '{ wallet { sms } }',
  messaging: '{ notifications { title } }',
};

/** W3: alternating per student, so every call succeeds. */
export const CHECK_IN = 'mutation($s: ID!) { checkIn(studentId: $s) { id } }';
export const CHECK_OUT = 'mutation($s: ID!) { checkOut(studentId: $s) { id } }';

/** W4: a small read of the tenant's own data through two subgraphs. */
export const TENANT_HOME = '{ libraries { name capacity occupancy { occupied free } } students(first: 5) { edges { node { name library { name } } } } }';
