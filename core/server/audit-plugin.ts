import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type OperationDefinitionNode } from 'graphql';
import type { RequestContext } from '../context';
import { topics } from '../events';
import { isPlatformRole } from '../permissions/catalog';

/** Argument and result keys never written to the audit log. */
const SECRET = /pass(word)?|token|secret|key|phone|email|idproof|signature|otpauth|recovery|^code$/i;

const PRESIGNED = /[?&]X-Amz-Signature=/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return '[…]';
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET.test(k) ? '[redacted]' : redact(v, depth + 1)]));
  }
  // A presigned storage URL is a bearer capability (an ID-proof scan for 5 minutes), whatever the key or alias.
  if (typeof value === 'string' && PRESIGNED.test(value)) return '[redacted]';
  return typeof value === 'string' && value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

const BEFORE = 'audit.before';

/**
 * Records what a mutation is about to change, for the audit log's `before`:
 * the previous values of `fields` (null where unset), or the whole document
 * (deletes). Called by services right before they write.
 */
export function noteBefore(ctx: RequestContext, id: unknown, doc: object | null | undefined, fields?: string[]): void {
  if (!doc) return;
  const d = doc as Record<string, unknown>;
  const picked = fields ? Object.fromEntries(fields.map((f) => [f, d[f] ?? null])) : d;
  // JSON round trip: ObjectIds and Dates become strings, like the rest of the entry.
  ctx.memo(BEFORE, () => new Map<string, unknown>()).set(String(id), JSON.parse(JSON.stringify(picked)));
}

const HIDE_RESULT = 'audit.hideResult';

/** The mutation's result is a secret (a revealed number): its audit entry records who and which entity, not the value. */
export function hideResult(ctx: RequestContext): void {
  ctx.memo(HIDE_RESULT, () => true);
}

/** An audit entry for a read that discloses protected data (e.g. a link to an ID-proof scan): queries are not audited otherwise. */
export async function auditRead(ctx: RequestContext, service: string, action: string, entityId: string): Promise<void> {
  if (!ctx.auth) return;
  const tenant = await ctx.tenant();
  await ctx.publish(topics.audit, {
    tenantId: tenant._id.toHexString(),
    service,
    action,
    userId: ctx.auth.sub,
    role: ctx.auth.role,
    entityId,
    input: null,
    before: null,
    result: null,
    ip: ctx.clientIp ?? null,
    requestId: ctx.requestId,
    at: new Date().toISOString(),
  });
}

/**
 * Every successful mutation field becomes an audit event (who, tenant, action,
 * input, resulting entity, ip), published on the bus after the response is
 * ready; the tenant subgraph stores it. Failed fields changed nothing, so they
 * are not audited.
 */
export function auditPlugin(service: string): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response, contextValue: ctx, request }) {
          if (operation?.operation !== 'mutation' || response.body.kind !== 'single' || !ctx.auth) return;
          const data = (response.body.singleResult.data ?? {}) as Record<string, unknown>;
          const failed = new Set((response.body.singleResult.errors ?? []).map((e) => e.path?.[0]));
          const tenantId = await ctx.tenant().then(
            (t) => t._id.toHexString(),
            () => null,
          );
          for (const field of rootFields(operation)) {
            const key = field.alias ?? field.name;
            if (failed.has(key) || !(key in data)) continue;
            const result = data[key];
            const befores = ctx.memo(BEFORE, () => new Map<string, unknown>());
            const resultId = result && typeof result === 'object' && 'id' in result ? String((result as { id: unknown }).id) : null;
            // A delete returns no entity: its id is the one the service noted.
            const entityId = resultId ?? (befores.size === 1 ? [...befores.keys()][0] : null);
            await ctx.publish(topics.audit, {
              tenantId: tenantId ?? (isPlatformRole(ctx.auth.role) ? null : (ctx.auth.tid ?? null)),
              service,
              action: field.name,
              userId: ctx.auth.sub,
              role: ctx.auth.role,
              entityId,
              input: redactVariables(operation, request.variables ?? {}),
              before: entityId && befores.has(entityId) ? redact(befores.get(entityId)) : null,
              result: ctx.memo(HIDE_RESULT, () => false) ? '[redacted]' : redact(result),
              ip: ctx.clientIp ?? null,
              requestId: ctx.requestId,
              at: new Date().toISOString(),
            });
          }
        },
      };
    },
  };
}

/**
 * The variables, redacted by their own names and by the names of the arguments and
 * input fields they are bound to: `confirmTotp(code: $c)` hides `$c` too, whatever
 * the client called it.
 */
function redactVariables(op: OperationDefinitionNode, variables: Record<string, unknown>): unknown {
  const bound = new Set<string>();
  visit(op, {
    Argument: (a) => {
      if (a.value.kind === Kind.VARIABLE && SECRET.test(a.name.value)) bound.add(a.value.name.value);
    },
    ObjectField: (f) => {
      if (f.value.kind === Kind.VARIABLE && SECRET.test(f.name.value)) bound.add(f.value.name.value);
    },
  });
  const out = redact(variables) as Record<string, unknown>;
  for (const name of bound) if (name in out) out[name] = '[redacted]';
  return out;
}

function rootFields(op: OperationDefinitionNode): { name: string; alias?: string }[] {
  return op.selectionSet.selections.flatMap((s) =>
    s.kind === Kind.FIELD && !s.name.value.startsWith('__') ? [{ name: s.name.value, alias: s.alias?.value }] : [],
  );
}
