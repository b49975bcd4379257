import { seedTenant, type Gql } from './demo/apply';
import { planTenant } from './demo/plan';
import { DEMO_TENANTS } from './demo/tenants';

export type { Gql } from './demo/apply';

/**
 * Demo data: the three clients of the migration plan (Zenith Education, Vedic
 * Maths India, Math Academy) with branding, libraries, seat maps, students,
 * bookings, attendance, payments, credits, templates and messages. Created
 * through the public GraphQL API; content is generated from a PRNG seeded by
 * each slug (scripts/demo/plan.ts), so every run yields the same data.
 * Idempotent: a tenant that already exists is left as it is. Returns the slugs created.
 */
export async function seedDemo(gql: Gql, adminToken: string, password: string): Promise<string[]> {
  const created: string[] = [];
  for (const tenant of DEMO_TENANTS) {
    if (await seedTenant(gql, adminToken, password, planTenant(tenant))) created.push(tenant.slug);
  }
  return created;
}
