import type { BillingContext } from '../context';
import { istDay } from '../../../core/tenant-time';

/** The billing clock (tests inject `now` through createServer's options). */
export const nowOf = (services: BillingContext['services']): Date => (services.clock ? services.clock() : new Date());

export const todayOf = (services: BillingContext['services']) => istDay(nowOf(services));
