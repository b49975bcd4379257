import { z } from 'zod';
import { loadServiceEnv } from '../../core/config';

/** MSG91 (DLT route) for SMS. `authKey` comes from the deployment's secrets, never from code. */
export interface Msg91Config {
  baseUrl: string;
  authKey: string;
}

/** WhatsApp Cloud API for WhatsApp. */
export interface WhatsAppConfig {
  baseUrl: string;
  phoneNumberId: string;
  accessToken: string;
}

/** SMTP (nodemailer) for email. */
export interface SmtpConfig {
  host: string;
  port: number;
  secure?: boolean;
  /** Refuse to send without TLS (STARTTLS); off only for a local relay/test server. */
  requireTls?: boolean;
  user?: string;
  pass?: string;
  from: string;
}

/** Per-channel providers; a channel left out uses the log provider. */
export interface ChannelConfig {
  sms?: Msg91Config;
  whatsapp?: WhatsAppConfig;
  email?: SmtpConfig;
}

/** Secrets that authenticate delivery-report webhooks; a webhook without its secret is disabled (404). */
export interface WebhookConfig {
  /** Compared with the `x-webhook-secret` header MSG91 is configured to send. */
  msg91Secret?: string;
  /** The Meta app secret: X-Hub-Signature-256 is the sha256 HMAC of the raw body with it. */
  whatsappAppSecret?: string;
  /** Echoed challenge check for Meta's GET subscription handshake. */
  whatsappVerifyToken?: string;
}

/**
 * Channel providers of the deployed messaging process from its environment
 * (secrets come from the deployment): SMTP_HOST/SMTP_PORT/SMTP_FROM (+ SMTP_USER,
 * SMTP_PASS, SMTP_SECURE=true, SMTP_REQUIRE_TLS=false for a local relay),
 * WHATSAPP_API_URL/WHATSAPP_PHONE_NUMBER_ID/WHATSAPP_ACCESS_TOKEN,
 * MSG91_API_URL/MSG91_AUTH_KEY. A channel without its settings logs only.
 */
export const CHANNEL_ENV_VARS: readonly string[] = [
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_USER',
  'SMTP_PASS',
  'SMTP_FROM',
  'SMTP_SECURE',
  'SMTP_REQUIRE_TLS',
  'WHATSAPP_API_URL',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_ACCESS_TOKEN',
  'MSG91_API_URL',
  'MSG91_AUTH_KEY',
];

/** The channel settings as given (core/config.ts loadServiceEnv); channelsFromEnv reads them. */
export const channelEnv: Record<string, z.ZodOptional<z.ZodString>> = Object.fromEntries(CHANNEL_ENV_VARS.map((v) => [v, z.string().optional()]));

/** Outbound webhooks (subgraphs/messaging/webhooks): targets, timing, retries. */
export interface OutboundWebhookOptions {
  /** Allow http:// and private, loopback, link-local, CGNAT and metadata targets: tests and local use only. */
  allowPrivateTargets: boolean;
  /** The delivery worker's period (ms); 0 = off (attempts then run only on replay and ping). */
  intervalMs: number;
  /** Per attempt: no answer within this = TIMEOUT, retried. */
  timeoutMs: number;
  /** Delay before retry n (after failed attempt n); one entry per retry, then FAILED. */
  scheduleMs: readonly number[];
  /** An endpoint whose every attempt failed for this long is disabled (its owners notified). */
  disableAfterMs: number;
  /** Due deliveries one worker run takes per tenant. */
  batchSize: number;
}

/** 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h: ten attempts over about 22 h, then FAILED. */
export const DEFAULT_WEBHOOK_SCHEDULE_MS: readonly number[] = [5, 30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600].map((s) => s * 1000);

const flag = z
  .enum(['true', 'false', ''])
  .default('false')
  .transform((v) => v === 'true');

/** The messaging subgraph's own variables (ENV_VARS are these keys): channels, the dues reminder period, outbound webhooks. */
export const messagingEnv = {
  ...channelEnv,
  // Outbound webhooks: refuse http and private targets unless relaxed (tests, local development); off by default.
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: flag,
  // The webhook delivery worker's period and the per-attempt timeout.
  WEBHOOKS_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(1000).max(30_000).default(10_000),
  // Dues reminders (automation-dues.service.ts) run this often; 0 = off. Off in tests unless given.
  MESSAGING_DUES_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(6 * 3600 * 1000),
  // The monthly pack job (monthly-pack/pack.job.ts) looks for unsent packs this often; 0 = off. Off in tests unless given.
  MESSAGING_MONTHLY_PACK_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(3600 * 1000),
};

export function channelsFromEnv(env: NodeJS.ProcessEnv): ChannelConfig | undefined {
  const channels: ChannelConfig = {};
  if (env.SMTP_HOST && env.SMTP_FROM) {
    channels.email = {
      host: env.SMTP_HOST,
      port: Number(env.SMTP_PORT || 587),
      from: env.SMTP_FROM,
      user: env.SMTP_USER,
      pass: env.SMTP_PASS,
      secure: env.SMTP_SECURE === 'true',
      requireTls: env.SMTP_REQUIRE_TLS !== 'false',
    };
  }
  if (env.WHATSAPP_API_URL && env.WHATSAPP_PHONE_NUMBER_ID && env.WHATSAPP_ACCESS_TOKEN) {
    channels.whatsapp = { baseUrl: env.WHATSAPP_API_URL, phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID, accessToken: env.WHATSAPP_ACCESS_TOKEN };
  }
  if (env.MSG91_API_URL && env.MSG91_AUTH_KEY) channels.sms = { baseUrl: env.MSG91_API_URL, authKey: env.MSG91_AUTH_KEY };
  return Object.keys(channels).length ? channels : undefined;
}

/** The outbound-webhook options of a process: its environment (strict by default), overridden by `given` (tests). */
export function outboundWebhookOptions(given: Partial<OutboundWebhookOptions> = {}, rawEnv?: NodeJS.ProcessEnv): OutboundWebhookOptions {
  const e = loadServiceEnv(messagingEnv, rawEnv);
  return {
    allowPrivateTargets: e.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
    intervalMs: e.WEBHOOKS_INTERVAL_MS,
    timeoutMs: e.WEBHOOKS_TIMEOUT_MS,
    scheduleMs: DEFAULT_WEBHOOK_SCHEDULE_MS,
    disableAfterMs: 24 * 3600 * 1000,
    batchSize: 50,
    ...given,
  };
}
