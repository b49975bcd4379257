import { GraphQLError, Kind, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { AccessClaims } from '../../core/auth/tokens';
import { ERROR_CATALOG } from '../../core/errors';
import { effectivePermissions } from '../../core/permissions/catalog';
import { eventStream, type EventStream } from './event-stream';

/**
 * Everything a subscriber's payload can depend on. Two subscribers with equal
 * facts get byte-identical payloads for every event, so one execution serves both.
 * The permission facts are what the shield rules and services read from the token:
 * role, effective permission set (role + per-user overrides `prm` + partner scopes
 * `scp`), branch scope (`lib`); and the user itself when the payload is per-user.
 */
export interface GroupFacts {
  tenantId: string;
  /**
   * The subscription as sent: its arguments decide which events are accepted and its
   * selection the payload (the payload query is derived from it), so both are in the key.
   */
  document: DocumentNode;
  variables: Record<string, unknown>;
  operationName?: string | null;
  auth: AccessClaims;
  /** The payload depends on who asks (notifications: visibility by user id): the group is the user. */
  perUser: boolean;
}

/** JSON with sorted object keys: `{a,b}` and `{b,a}` are the same variables. */
const stable = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? (JSON.stringify(v) ?? 'null')
    : Array.isArray(v)
      ? `[${v.map(stable).join(',')}]`
      : `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;

/** Variables the document declares (others never reach the payload and must not split groups). */
function declaredVariables(doc: DocumentNode, variables: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const v of def.variableDefinitions ?? []) {
      const name = v.variable.name.value;
      if (name in variables) out[name] = variables[name];
    }
  }
  return out;
}

/** The group a subscriber belongs to: tenant, normalised document, variables, operation name, permission facts. */
export function groupKey(f: GroupFacts): string {
  const a = f.auth;
  return stable([
    f.tenantId,
    print(f.document),
    declaredVariables(f.document, f.variables),
    f.operationName ?? null,
    a.role,
    effectivePermissions(a),
    a.lib ? [...new Set(a.lib)].sort() : null,
    f.perUser ? a.sub : null,
  ]);
}

export interface MultiplexOptions<M> {
  /** Listens to a pub/sub topic; resolves to the function that stops listening. */
  listen(topic: string, push: (event: Record<string, unknown>) => void): Promise<() => void>;
  /**
   * Members whose credentials were refused while running their group's payload:
   * UNAUTHENTICATED (token expired or revoked: that member only, then the next member
   * runs it) or TENANT_SUSPENDED (every member). The caller closes their sockets.
   */
  refused(members: M[], code: 'UNAUTHENTICATED' | 'TENANT_SUSPENDED'): void;
  /** false = every subscriber its own group, as before multiplexing (SUBSCRIPTION_MULTIPLEX=off, for benchmarks). */
  enabled?: boolean;
  /** Events waiting per group, and payloads waiting per member; a slow one keeps the newest (default 100). */
  maxBuffer?: number;
  /** A payload execution threw (it is sent to the group's members as an INTERNAL error). */
  onError?(err: unknown): void;
}

export interface JoinRequest<M> {
  facts: GroupFacts;
  topic: string;
  member: M;
  /** Whether the group wants this event at all (once per group per event, before any execution). */
  accept(event: Record<string, unknown>, as: M): boolean;
  /**
   * Runs once per group per event, with `as` (one current member) as the caller;
   * null skips the event for the whole group. It may read only what the group
   * key holds (`as.auth` role, permissions, lib, and sub for per-user groups).
   */
  payload(event: Record<string, unknown>, as: M): Promise<ExecutionResult | null>;
  /** Called once when this member's stream closes (client complete, socket closed, shutdown). */
  onClose?(): void;
  /** This result is the member's last: its stream completes once the result is delivered. */
  isLast?(result: ExecutionResult): boolean;
}

export interface MultiplexStats {
  /** Live groups (each listens to its topic once). */
  groups: number;
  /** Subscribers across all groups. */
  members: number;
  /** Payload executions since start (one per group per accepted event, plus reruns after a refused member). */
  executions: number;
}

interface Slot<M> {
  member: M;
  push(result: ExecutionResult): void;
  /** Events of the group received before this member joined are not its own. */
  joinedAt: number;
  /** Refused during an execution: skipped until its socket closes and it leaves. */
  gone: boolean;
}

interface Group<M> {
  key: string;
  members: Map<number, Slot<M>>;
  payload: JoinRequest<M>['payload'];
  accept: JoinRequest<M>['accept'];
  queue: { event: Record<string, unknown>; seq: number }[];
  /** Events received so far. */
  seq: number;
  running: boolean;
  released: boolean;
  ready: Promise<void>;
  off?: () => void;
}

const internalError = () => new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL', errorCode: ERROR_CATALOG.INTERNAL } });

/**
 * Multiplexed subscriptions: subscribers with equal `groupKey` share one group,
 * which listens to its topic once and, per event, runs the payload once (as its
 * oldest member) and hands the same result to every member. Each member keeps its
 * own bounded queue (event-stream.ts), so a slow socket holds up nobody. A group
 * is released, with its listener, when its last member leaves.
 */
export function useMultiplex<M>(opts: MultiplexOptions<M>) {
  const enabled = opts.enabled ?? true;
  const maxBuffer = opts.maxBuffer ?? 100;
  const groups = new Map<string, Group<M>>();
  let executions = 0;
  let nextId = 0;
  let solo = 0;

  const release = (g: Group<M>) => {
    g.released = true;
    g.queue.length = 0;
    if (groups.get(g.key) === g) groups.delete(g.key);
    g.off?.();
  };

  const leave = (g: Group<M>, id: number) => {
    g.members.delete(id);
    if (g.members.size === 0 && !g.released) release(g);
  };

  const deliver = (g: Group<M>, seq: number, result: ExecutionResult) => {
    for (const slot of g.members.values()) if (slot.joinedAt < seq && !slot.gone) slot.push(result);
  };

  /** One event: executed as the oldest live member; a refused member makes way for the next. */
  async function run(g: Group<M>, event: Record<string, unknown>, seq: number): Promise<void> {
    for (;;) {
      const as = [...g.members.values()].find((s) => s.joinedAt < seq && !s.gone);
      if (!as || g.released || !g.accept(event, as.member)) return;
      executions++;
      let result: ExecutionResult | null;
      try {
        result = await g.payload(event, as.member);
      } catch (err) {
        opts.onError?.(err);
        result = { errors: [internalError()] };
      }
      if (result === null) return;
      const code = result.errors?.[0]?.extensions?.code;
      if (code === 'TENANT_SUSPENDED') {
        const all = [...g.members.values()];
        all.forEach((s) => (s.gone = true));
        opts.refused(
          all.map((s) => s.member),
          code,
        );
        return;
      }
      if (code === 'UNAUTHENTICATED') {
        as.gone = true;
        opts.refused([as.member], code);
        continue;
      }
      deliver(g, seq, result);
      return;
    }
  }

  async function drain(g: Group<M>): Promise<void> {
    g.running = true;
    try {
      while (!g.released && g.queue.length) {
        const { event, seq } = g.queue.shift()!;
        await run(g, event, seq);
      }
    } finally {
      g.running = false;
    }
  }

  function open(key: string, req: JoinRequest<M>): Group<M> {
    const g: Group<M> = {
      key,
      members: new Map(),
      payload: req.payload,
      accept: req.accept,
      queue: [],
      seq: 0,
      running: false,
      released: false,
      ready: Promise.resolve(),
    };
    // In order, one at a time: every member sees the group's events in publish order.
    const onEvent = (event: Record<string, unknown>) => {
      if (g.released) return;
      g.seq++;
      if (g.queue.length >= maxBuffer) g.queue.shift();
      g.queue.push({ event, seq: g.seq });
      if (!g.running) void drain(g);
    };
    g.ready = opts.listen(req.topic, onEvent).then(
      (off) => (g.released ? off() : void (g.off = off)),
      (err: unknown) => {
        release(g);
        throw err;
      },
    );
    groups.set(key, g);
    return g;
  }

  return {
    /** The member's own stream of payloads; closing it (return/end) leaves the group. */
    join(req: JoinRequest<M>): Promise<EventStream<ExecutionResult>> {
      const key = enabled ? groupKey(req.facts) : `solo:${++solo}`;
      const stream: Promise<EventStream<ExecutionResult>> = eventStream<ExecutionResult, ExecutionResult>({
        subscribe: async (push) => {
          const g = groups.get(key) ?? open(key, req);
          const id = ++nextId;
          g.members.set(id, { member: req.member, push, joinedAt: g.seq, gone: false });
          try {
            await g.ready;
          } catch (err) {
            leave(g, id);
            throw err;
          }
          return () => leave(g, id);
        },
        map: async (result) => {
          if (req.isLast?.(result)) void stream.then((s) => setImmediate(() => s.end()));
          return result;
        },
        maxBuffer,
        onClose: req.onClose,
      });
      return stream;
    },
    stats(): MultiplexStats {
      let members = 0;
      for (const g of groups.values()) members += g.members.size;
      return { groups: groups.size, members, executions };
    },
  };
}
