import { isObjectType } from 'graphql';
import { SUBGRAPH_NAMES } from '../core/config';
import { buildFederatedSchema } from '../core/federation/build-subgraph';
import { gatherConsumers } from '../core/events';
import { mergeModules } from '../core/permissions/modules';
import { mergeRules } from '../core/permissions/rules';
import { buildRuleTree } from '../core/permissions/shield';
import { TENANT_MODULES } from '../core/tenancy/registry';
import { CONSUMER_NAMES, DOMAIN_CONSUMERS } from '../subgraphs/events';
import {
  SUBGRAPH_PLATFORM_SCHEMAS,
  SUBGRAPH_TENANT_SCHEMAS,
  SUBGRAPHS,
  SUPERGRAPH_MODULES,
  SUPERGRAPH_RULES,
  SUPERGRAPH_SUBSCRIPTIONS,
} from '../subgraphs/registry';

/** What every subgraphs/<name>/index.ts exports, and nothing else. */
const CONTRACT = ['ENV_VARS', 'createServer', 'definition', 'events', 'name', 'onProvision', 'platformSchemas', 'rules', 'subscriptions', 'tenantSchemas'];

describe('subgraph registry', () => {
  it('lists every subgraph of SUBGRAPH_NAMES once, in order, under its own name', () => {
    expect(Object.keys(SUBGRAPHS)).toEqual([...SUBGRAPH_NAMES]);
    for (const [key, mod] of Object.entries(SUBGRAPHS)) expect(mod.name).toBe(key);
    expect(Object.keys(SUBGRAPH_TENANT_SCHEMAS)).toEqual([...SUBGRAPH_NAMES]);
    expect(Object.keys(SUBGRAPH_PLATFORM_SCHEMAS)).toEqual([...SUBGRAPH_NAMES]);
  });

  it("takes each entry straight from the subgraph's index.ts, which exports exactly the contract", () => {
    for (const mod of Object.values(SUBGRAPHS)) {
      expect({ name: mod.name, exports: Object.keys(mod).sort() }).toEqual({ name: mod.name, exports: CONTRACT });
      expect(typeof mod.createServer).toBe('function');
      expect(Object.keys(mod.tenantSchemas).length).toBeGreaterThan(0);
    }
    // Platform collections are named once, by the subgraph that keeps them.
    const platform = Object.values(SUBGRAPHS).flatMap((m) => Object.keys(m.platformSchemas).map((c) => `${m.name}:${c}`));
    expect(platform).toEqual(expect.arrayContaining(['tenant:TenantRegistry', 'billing:PaymentOrderIndex', 'credits:CreditRates', 'messaging:MessageIndex']));
  });

  it('hands each subgraph its own rules through its definition, and the supergraph table is their union', () => {
    for (const mod of Object.values(SUBGRAPHS)) expect(mod.rules).toBe(mod.definition.rules);
    expect(SUPERGRAPH_RULES).toEqual(mergeRules(...Object.values(SUBGRAPHS).map((m) => m.rules)));
  });

  it('serves every Subscription field through a route and a rule of the subgraph that declares it', async () => {
    const all: string[] = [];
    for (const mod of Object.values(SUBGRAPHS)) {
      const sub = (await buildFederatedSchema(mod.definition)).getSubscriptionType();
      const fields = sub && isObjectType(sub) ? Object.keys(sub.getFields()).sort() : [];
      expect({ name: mod.name, routes: Object.keys(mod.subscriptions).sort() }).toEqual({ name: mod.name, routes: fields });
      for (const f of fields) expect(mod.rules.Subscription?.[f]).toBeDefined();
      all.push(...fields);
    }
    expect(Object.keys(SUPERGRAPH_SUBSCRIPTIONS).sort()).toEqual(all.sort());
  });

  it('gathers the domain events: each consumer is declared by one subgraph, takes only events some subgraph emits', () => {
    const emitted = Object.values(SUBGRAPHS).flatMap((m) => m.events.emits);
    expect(new Set(emitted).size).toBe(emitted.length); // one emitter per event
    const declared = Object.values(SUBGRAPHS).flatMap((m) => Object.keys(m.events.consumers));
    expect(new Set(declared).size).toBe(declared.length);
    expect([...CONSUMER_NAMES].sort()).toEqual([...declared].sort());
    for (const mod of Object.values(SUBGRAPHS)) {
      for (const [consumer, events] of Object.entries(mod.events.consumers)) {
        // `<subgraph>.<purpose>`: the subgraph that runs it is in its name (the CLI and the outbox show it).
        expect(consumer.startsWith(`${mod.name}.`)).toBe(true);
        expect(events.length).toBeGreaterThan(0);
        for (const e of events) expect({ consumer, event: e, emitted: emitted.includes(e) }).toEqual({ consumer, event: e, emitted: true });
        expect(DOMAIN_CONSUMERS[consumer]).toEqual(events);
      }
    }
    // What the outbox relies on, at start-up: no consumer twice, no event nobody emits.
    const a = { emits: ['x.done'], consumers: { 'a.one': ['x.done'] } } as never;
    expect(() => gatherConsumers([a, a])).toThrow('Domain-event consumer a.one is declared twice');
    expect(() => gatherConsumers([{ emits: [], consumers: { 'a.one': ['x.done'] } } as never])).toThrow('Consumer a.one takes x.done, which no subgraph emits');
  });

  it('module tables: each subgraph names only fields of its own schema and real modules; the supergraph table is their union', async () => {
    for (const mod of Object.values(SUBGRAPHS)) {
      const modules = mod.definition.modules ?? {};
      const { unknown } = buildRuleTree(await buildFederatedSchema(mod.definition), {}, modules);
      expect({ name: mod.name, unknown }).toEqual({ name: mod.name, unknown: [] });
      const named = Object.values(modules).flatMap((fields) => Object.values(fields).flatMap((m) => (typeof m === 'string' ? [m] : [...m])));
      for (const m of named) expect(TENANT_MODULES).toContain(m);
    }
    expect(SUPERGRAPH_MODULES).toEqual(mergeModules(...Object.values(SUBGRAPHS).map((m) => m.definition.modules ?? {})));
    // The gateway's subscription check reads the same table as the student subgraph's shield.
    expect(SUPERGRAPH_MODULES.Subscription?.occupancyChanged).toBe('attendance');
    expect(() => mergeModules({ Student: { payments: 'payments' } }, { Student: { payments: ['payments', 'analytics'] } })).toThrow(
      'Conflicting modules for Student.payments',
    );
    expect(mergeModules({ Student: { payments: 'payments' } }, { Student: { payments: ['payments'] } })).toEqual({ Student: { payments: ['payments'] } });
  });

  it('refuses two different rules for one field (an entity shared by subgraphs is guarded alike)', () => {
    expect(mergeRules({ Student: { '*': 'students:list' } }, { Student: { '*': 'students:list', payments: 'payments:read' } })).toEqual({
      Student: { '*': 'students:list', payments: 'payments:read' },
    });
    expect(() => mergeRules({ Student: { '*': 'students:list' } }, { Student: { '*': 'students:read' } })).toThrow(
      'Conflicting rules for Student.*: students:list and students:read',
    );
    // A list of permissions (all required) equals the same list in any order, and differs from a part of it.
    expect(mergeRules({ Lead: { convert: ['crm:write', 'tenants:create'] } }, { Lead: { convert: ['tenants:create', 'crm:write'] } })).toEqual({
      Lead: { convert: ['tenants:create', 'crm:write'] },
    });
    expect(() => mergeRules({ Lead: { convert: ['crm:write', 'tenants:create'] } }, { Lead: { convert: 'crm:write' } })).toThrow(
      'Conflicting rules for Lead.convert: crm:write + tenants:create and crm:write',
    );
  });
});
