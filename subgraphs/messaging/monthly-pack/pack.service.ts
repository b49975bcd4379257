import type { Connection } from 'mongoose';
import { addMonths, istDay } from '../../../core/tenant-time';
import { CONTENT_TYPES } from '../../../core/documents/link';
import { loadSettings } from '../automation-settings.service';
import { tenantLabel } from '../automation.events';
import { Channel } from '../channel.type';
import { serviceContext, type MessagingDeps } from '../context';
import { messageProvider } from '../message.provider';
import { claimPack, closeClaim, stillHeld } from './pack-claim.service';
import { fetchDocument, PACK_SOURCES } from './documents.client';
import { packRecipients } from './tenant.client';

/** A claim's life: far longer than rendering and sending a pack; a crashed run's pack goes out after it. */
export const PACK_LEASE_MS = 15 * 60_000;
/** Time kept in hand for the SMTP send itself: past this, the run gives the attempt up rather than risk a double send. */
const SEND_MARGIN_MS = 2 * 60_000;

/** The month before `now`'s (Asia/Kolkata) month, 'YYYY-MM'. */
export const lastMonth = (now: Date) => addMonths(`${istDay(now).slice(0, 7)}-01`, -1).slice(0, 7);

const monthLabel = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString('en-IN', { month: 'long', year: 'numeric', timeZone: 'UTC' });

export type PackOutcome = 'sent' | 'taken' | 'no_owner' | 'opted_out';

/**
 * Last month's pack for one tenant, at most once: claim (tenant DB, `<month>#<attempt>`),
 * render every document of PACK_SOURCES through its subgraph, send one e-mail with them
 * attached to the active owners, close the claim. A failure before the send marks the
 * attempt failed (the next run retries); a crash leaves the claim to expire (the next run
 * after the lease retries). The one window for a second mail is a crash after the SMTP
 * server accepted and before the claim was closed: the resend carries the same Message-ID.
 */
export async function runMonthlyPack(
  deps: MessagingDeps,
  tenant: { _id: { toHexString(): string }; slug: string },
  conn: Connection,
  now: Date,
  leaseMs = PACK_LEASE_MS,
): Promise<PackOutcome> {
  const month = lastMonth(now);
  // Opted out: no claim is written, so opting back in before the month is over still sends it.
  if ((await loadSettings(conn, deps.services?.automation ?? { defaultsOn: false })).monthlyPack === false) return 'opted_out';
  const attempt = await claimPack(conn, month, now, leaseMs);
  if (attempt === null) return 'taken';
  const tenantId = tenant._id.toHexString();
  try {
    const ctx = serviceContext(deps, { id: tenantId, slug: tenant.slug });
    const { owners, libraries } = await packRecipients(ctx);
    if (!owners.length) {
      await closeClaim(conn, month, attempt, { state: 'failed' });
      return 'no_owner';
    }
    const attachments: { filename: string; content: Buffer; contentType: string }[] = [];
    for (const doc of PACK_SOURCES.flatMap((source) => source({ month, libraries }))) {
      const content = await fetchDocument(deps, tenantId, doc);
      if (content) attachments.push({ filename: doc.fileName, content, contentType: CONTENT_TYPES[doc.format] });
    }
    if (!(await stillHeld(conn, month, attempt, new Date(), Math.min(SEND_MARGIN_MS, leaseMs / 2)))) return 'taken';
    const name = await tenantLabel(ctx);
    const body = [
      `Your StudySpot reports for ${monthLabel(month)} (${name}) are attached:`,
      '',
      ...attachments.map((a) => `- ${a.filename}`),
      '',
      'Figures are as of when this e-mail was generated; the same documents can be downloaded again from the dashboard.',
    ].join('\n');
    await messageProvider(ctx).send(Channel.EMAIL, owners.join(', '), body, {
      template: { name: `${name}: monthly reports for ${monthLabel(month)}`, values: [] },
      attachments,
      messageId: `<monthly-pack-${tenantId}-${month}@studyspot>`,
    });
    await closeClaim(conn, month, attempt, { state: 'sent', sentAt: new Date(), documents: attachments.map((a) => a.filename) });
    deps.log.info({ tenant: tenant.slug, month, documents: attachments.length }, 'monthly pack sent');
    return 'sent';
  } catch (err) {
    await closeClaim(conn, month, attempt, { state: 'failed' }).catch(() => undefined);
    throw err;
  }
}
