import type { Channel } from './channel.type';
import type { Msg91Config } from './messaging.env';
import { internationalDigits, postJson } from './http.provider';
import type { DeliveryDetails, MessageProvider } from './message.provider';

interface FlowResponse {
  type?: string;
  message?: string;
}

/**
 * SMS through MSG91's flow API (DLT route): the text is the registered DLT
 * template, so only its id and the variable values are sent.
 */
export class Msg91Provider implements MessageProvider {
  readonly name = 'msg91';
  constructor(private readonly config: Msg91Config) {}

  async send(_channel: Channel, to: string, _body: string, details?: DeliveryDetails): Promise<{ providerId: string }> {
    const template = details?.template;
    if (!template?.dltTemplateId) throw new Error('MSG91 needs a DLT-registered template');
    const recipient: Record<string, string> = { mobiles: internationalDigits(to) };
    for (const { name, value } of template.values) recipient[name] = value;
    const res = await postJson<FlowResponse>(
      `${this.config.baseUrl.replace(/\/$/, '')}/api/v5/flow/`,
      { authkey: this.config.authKey },
      { template_id: template.dltTemplateId, short_url: '0', recipients: [recipient] },
    );
    if (res.type !== 'success' || typeof res.message !== 'string' || !res.message) throw new Error('MSG91 refused the message');
    return { providerId: res.message };
  }
}
