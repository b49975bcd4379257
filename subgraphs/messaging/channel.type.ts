import { registerEnumType } from 'type-graphql';

/**
 * Delivery channel. The credits subgraph defines the same enum (same name,
 * values and description) so composition merges the two.
 */
export enum Channel {
  SMS = 'sms',
  WHATSAPP = 'whatsapp',
  EMAIL = 'email',
}
registerEnumType(Channel, { name: 'Channel', description: 'A messaging channel with its own credit balance.' });

/** The GraphQL value of a channel, as the credits API expects it in variables. */
export const channelName = (c: Channel): keyof typeof Channel => (Object.keys(Channel) as (keyof typeof Channel)[]).find((k) => Channel[k] === c)!;

/** Which student contact field a channel delivers to. */
export const contactField = (c: Channel): 'phone' | 'email' => (c === Channel.EMAIL ? 'email' : 'phone');
