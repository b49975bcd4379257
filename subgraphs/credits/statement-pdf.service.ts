import type { Writable } from 'node:stream';
import type { Connection } from 'mongoose';
import type { DocumentRenderer } from '../../core/documents/routes';
import { tenantBranding, usePdf, type PdfBranding } from '../../core/documents/pdf';
import { badInput } from '../../core/errors';
import { dayProblem } from '../../core/validation/calendar';
import type { CreditsServices } from './context';
import type { LedgerReason } from './ledger.model';
import { periodEntries, statementSummary, todayIst, type Period } from './statement.service';

const CHANNEL_LABEL = { sms: 'SMS', whatsapp: 'WhatsApp', email: 'E-mail' } as const;
const REASON_LABEL: Record<LedgerReason, string> = {
  allocation: 'Credits allocated',
  package: 'Credit pack purchased',
  purchase: 'Purchase',
  reversal: 'Reversal',
  message: 'Message sent',
  refund: 'Refund (message not delivered)',
};

const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-IN', { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'UTC' });
const time = (d: Date) =>
  d.toLocaleString('en-IN', { timeZone: 'Asia/Kolkata', day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
const count = (n: number) => n.toLocaleString('en-IN');
const signed = (n: number) => (n > 0 ? `+${count(n)}` : count(n));

/**
 * The statement: a summary per channel (opening, purchases, debits, refunds, closing), then
 * each channel's movements oldest first with the balance after each, streamed from the
 * ledger (a busy month of message debits is never held in memory).
 */
export async function renderCreditStatement(conn: Connection, period: Period, out: Writable, branding: PdfBranding): Promise<void> {
  const summary = await statementSummary(conn, period);
  const toDate = period.to >= todayIst();
  const pdf = usePdf({
    out,
    branding,
    title: 'Messaging Credits Statement',
    subtitle: `${dayLabel(period.from)} to ${dayLabel(period.to)}${toDate ? ' (to date)' : ''} · times in IST`,
    footer: 'Credits are counted per channel (1 credit = 1 message unit). Computer-generated statement.',
  });
  const t = pdf.table([
    { header: 'Channel', width: 1.4 },
    { header: 'Opening', width: 1, align: 'right' },
    { header: 'Purchases', width: 1, align: 'right' },
    { header: 'Debits', width: 1, align: 'right' },
    { header: 'Refunds', width: 1, align: 'right' },
    { header: 'Closing', width: 1, align: 'right' },
  ]);
  for (const s of summary) {
    t.row([CHANNEL_LABEL[s.channel], count(s.opening), signed(s.totals.purchases), signed(s.totals.debits), signed(s.totals.refunds), count(s.closing)]);
  }
  for (const s of summary) {
    pdf.gap();
    pdf.heading(`${CHANNEL_LABEL[s.channel]} credits`);
    const rows = pdf.table([
      { header: 'Date', width: 1.2 },
      { header: 'Movement', width: 2.2 },
      { header: 'Reference', width: 2 },
      { header: 'Change', width: 0.8, align: 'right' },
      { header: 'Balance', width: 0.9, align: 'right' },
    ]);
    rows.row([dayLabel(period.from), 'Opening balance', '', '', count(s.opening)], { bold: true });
    for await (const e of periodEntries(conn, s.channel, period)) {
      rows.row([time(e.createdAt), REASON_LABEL[e.reason] ?? e.reason, e.reference, signed(e.delta), count(e.balanceAfter)]);
    }
    rows.row([dayLabel(period.to), toDate ? 'Closing balance (to date)' : 'Closing balance', '', '', count(s.closing)], { bold: true });
  }
  await pdf.end();
}

/** The renderer behind creditStatement links: the period was checked at issuance; checked again (signed, but cheap). */
export const creditStatementRenderer: DocumentRenderer<CreditsServices> = {
  formats: ['PDF'],
  render: async (ctx, { params, out }) => {
    const from = String(params.from);
    const to = String(params.to);
    if (dayProblem(from) || dayProblem(to)) throw badInput('period', 'must be YYYY-MM-DD days');
    await renderCreditStatement(await ctx.tenantDb(), { from, to }, out, tenantBranding(await ctx.tenant()));
  },
};
