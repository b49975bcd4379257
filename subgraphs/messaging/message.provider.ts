import type { MessagingContext } from './context';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../core/logger';
import type { Channel } from './channel.type';

/** What a provider needs besides the rendered text: the registered template it came from. */
export interface DeliveryDetails {
  template?: {
    name: string;
    /** Values in the template's placeholder order. */
    values: { name: string; value: string }[];
    dltTemplateId?: string;
    senderId?: string;
    whatsappName?: string;
    language?: string;
  };
  /** E-mail only (SMTP): files attached to the message (the monthly pack). */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  /** E-mail only: a stable Message-ID, so a resend after a crash is recognisably the same mail. */
  messageId?: string;
}

/** Delivers one message; throws when the provider refuses it. */
export interface MessageProvider {
  readonly name: string;
  send(channel: Channel, to: string, body: string, details?: DeliveryDetails): Promise<{ providerId: string; provider?: string }>;
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

/** The provider chosen when the service started (`createServer(config, db, { provider | channels })`). */
export function messageProvider(ctx: MessagingContext): MessageProvider {
  return ctx.services.messageProvider(ctx.log);
}
