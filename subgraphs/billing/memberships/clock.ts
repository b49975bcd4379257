import type { RequestContext } from '../../../core/context';
import { istDay } from '../../../core/tenant-time';

/** The billing clock (tests inject `now` through createServer's options). */
export const nowOf = (services: RequestContext['services']): Date => {
  const clock = services.clock as (() => Date) | undefined;
  return clock ? clock() : new Date();
};

export const todayOf = (services: RequestContext['services']) => istDay(nowOf(services));
