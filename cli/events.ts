import type { ConsumerName } from '../core/events';
import { CONSUMER_NAMES } from '../subgraphs/events';
import { listDead, outboxStatus, replayDead, showEvent, type DeliveryFilter } from '../core/events/admin';
import type { DbManager } from '../core/tenancy/db';
import { findTenant } from '../core/tenancy/registry';
import { CliError, usage } from './io';

export interface EventsOptions {
  tenant?: string;
  consumer?: string;
}

/** --tenant <slug> and --consumer <name> as an outbox filter (the slug is resolved to its id). */
async function filterOf(db: DbManager, o: EventsOptions): Promise<DeliveryFilter> {
  const f: DeliveryFilter = {};
  if (o.consumer) {
    if (!CONSUMER_NAMES.includes(o.consumer as ConsumerName)) throw usage(`--consumer: one of ${CONSUMER_NAMES.join(', ')}`);
    f.consumer = o.consumer as ConsumerName;
  }
  if (o.tenant) {
    const tenant = await findTenant(db.platform(), { slug: o.tenant });
    if (!tenant) throw new CliError(`no tenant ${o.tenant}`);
    f.tenantId = tenant._id.toHexString();
  }
  return f;
}

export const eventsStatus = (db: DbManager) => outboxStatus(db.platform(), CONSUMER_NAMES);

export async function eventsDead(db: DbManager, o: EventsOptions & { limit?: number }) {
  return listDead(db.platform(), { ...(await filterOf(db, o)), limit: o.limit });
}

export async function eventsShow(db: DbManager, id: string) {
  const event = await showEvent(db.platform(), id);
  if (!event) throw new CliError(`no event ${id}`);
  return event;
}

/** One delivery or event (`id`), or with `all` every dead delivery matching the filter. */
export async function eventsReplay(db: DbManager, id: string | undefined, o: EventsOptions & { all?: boolean }) {
  if (!id === !o.all) throw usage('give a delivery or event id, or --all (optionally with --tenant / --consumer)');
  if (id && (o.tenant || o.consumer)) throw usage('--tenant and --consumer go with --all');
  const result = await replayDead(db.platform(), { id, ...(await filterOf(db, o)) });
  if (id && !result.replayed.length) throw new CliError(`no dead delivery for ${id}`);
  return result;
}
