import type { Channel } from './channel.type';
import type { WhatsAppConfig } from './messaging.env';
import { internationalDigits, postJson } from './http.provider';
import type { DeliveryDetails, MessageProvider } from './message.provider';

interface CloudResponse {
  messages?: { id?: string }[];
}

/** WhatsApp Cloud API: an approved template with body parameters, or plain text (only inside the 24h window at Meta). */
export class WhatsAppProvider implements MessageProvider {
  readonly name = 'whatsapp';
  constructor(private readonly config: WhatsAppConfig) {}

  async send(_channel: Channel, to: string, body: string, details?: DeliveryDetails): Promise<{ providerId: string }> {
    const template = details?.template;
    const content = template
      ? {
          type: 'template',
          template: {
            name: template.whatsappName ?? template.name,
            language: { code: template.language ?? 'en' },
            components: [{ type: 'body', parameters: template.values.map(({ value }) => ({ type: 'text', text: value })) }],
          },
        }
      : { type: 'text', text: { preview_url: false, body } };
    const res = await postJson<CloudResponse>(
      `${this.config.baseUrl.replace(/\/$/, '')}/v19.0/${encodeURIComponent(this.config.phoneNumberId)}/messages`,
      { authorization: `Bearer ${this.config.accessToken}` },
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: internationalDigits(to), ...content },
    );
    const id = res.messages?.[0]?.id;
    if (typeof id !== 'string' || !id) throw new Error('WhatsApp returned no message id');
    return { providerId: id };
  }
}
