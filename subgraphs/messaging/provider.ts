import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../core/context';
import type { Logger } from '../../core/logger';
import type { Channel } from './channel';

/** Delivers one message; throws when the provider refuses it. */
export interface MessageProvider {
  readonly name: string;
  send(channel: Channel, to: string, body: string): Promise<{ providerId: string }>;
}

/**
 * Development provider: delivers nowhere and logs only non-personal facts
 * (channel, length, its own id) — never the recipient or the text.
 */
export class LogProvider implements MessageProvider {
  readonly name = 'log';
  constructor(private readonly log: Logger) {}

  async send(channel: Channel, _to: string, body: string): Promise<{ providerId: string }> {
    const providerId = `log-${randomUUID()}`;
    this.log.info({ channel, length: body.length, providerId }, 'message delivered (log provider)');
    return { providerId };
  }
}

export type ProviderFactory = (log: Logger) => MessageProvider;

export const defaultProviderFactory: ProviderFactory = (log) => new LogProvider(log);

/** The provider chosen when the service started (`createServer(config, db, { provider })`). */
export function messageProvider(ctx: RequestContext): MessageProvider {
  const factory = (ctx.services.messageProvider as ProviderFactory | undefined) ?? defaultProviderFactory;
  return factory(ctx.log);
}
