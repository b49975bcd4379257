import nodemailer, { type Transporter } from 'nodemailer';
import type { Channel } from './channel.type';
import type { SmtpConfig } from './messaging.env';
import type { DeliveryDetails, MessageProvider } from './message.provider';

/** Email through SMTP; one pooled transport per service, made when the service starts. */
export class SmtpProvider implements MessageProvider {
  readonly name = 'smtp';
  private readonly transport: Transporter;

  constructor(private readonly config: SmtpConfig) {
    this.transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure ?? false,
      requireTLS: config.requireTls ?? true,
      auth: config.user ? { user: config.user, pass: config.pass ?? '' } : undefined,
      pool: true,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(_channel: Channel, to: string, body: string, details?: DeliveryDetails): Promise<{ providerId: string }> {
    const info = await this.transport.sendMail({
      from: this.config.from,
      to,
      subject: details?.template?.name ?? 'New message',
      text: body,
      ...(details?.attachments ? { attachments: details.attachments } : {}),
      ...(details?.messageId ? { messageId: details.messageId } : {}),
    });
    if ((info.rejected?.length ?? 0) > 0) throw new Error('SMTP server rejected the recipient');
    return { providerId: info.messageId };
  }

  close(): void {
    this.transport.close();
  }
}
