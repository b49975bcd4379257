import { registerEnumType } from 'type-graphql';

/** A messaging channel; each has its own credit balance. Stored lowercase (= the wallet field name). */
export enum Channel {
  SMS = 'sms',
  WHATSAPP = 'whatsapp',
  EMAIL = 'email',
}
registerEnumType(Channel, { name: 'Channel', description: 'A messaging channel with its own credit balance.' });

export const CHANNELS: readonly Channel[] = [Channel.SMS, Channel.WHATSAPP, Channel.EMAIL];
