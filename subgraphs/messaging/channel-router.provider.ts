import type { Logger } from '../../core/logger';
import { Channel } from './channel.type';
import type { ChannelConfig } from './messaging.env';
import { Msg91Provider } from './msg91.provider';
import { SmtpProvider } from './smtp.provider';
import { WhatsAppProvider } from './whatsapp.provider';
import { LogProvider, type DeliveryDetails, type MessageProvider, type ProviderFactory } from './message.provider';

/**
 * One provider per channel from the service's configuration; a channel without
 * configuration falls back to the log provider. Providers are built once (the
 * SMTP pool lives for the service), the log one per request for its logger.
 */
export function channelProviders(channels: ChannelConfig): { factory: ProviderFactory; close: () => void } {
  const configured: Partial<Record<Channel, MessageProvider>> = {
    [Channel.SMS]: channels.sms && new Msg91Provider(channels.sms),
    [Channel.WHATSAPP]: channels.whatsapp && new WhatsAppProvider(channels.whatsapp),
    [Channel.EMAIL]: channels.email && new SmtpProvider(channels.email),
  };
  const factory: ProviderFactory = (log: Logger) => {
    const fallback = new LogProvider(log);
    const pick = (c: Channel) => configured[c] ?? fallback;
    return {
      name: 'router',
      async send(channel: Channel, to: string, body: string, details?: DeliveryDetails) {
        const provider = pick(channel);
        const { providerId } = await provider.send(channel, to, body, details);
        return { providerId, provider: provider.name };
      },
    };
  };
  const smtp = configured[Channel.EMAIL];
  return { factory, close: () => (smtp instanceof SmtpProvider ? smtp.close() : undefined) };
}
