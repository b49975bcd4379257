import { subgraphEvents } from '../../core/events';

/** Credits neither emits nor consumes domain events (messaging debits it through credits.client.ts). */
export const creditsEvents = subgraphEvents<Record<never, never>>()({ emits: {}, consumers: {} });
