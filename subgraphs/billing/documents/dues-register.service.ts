import { trusted } from 'mongoose';
import type { DocumentRenderer } from '../../../core/documents/routes';
import { useTabular, type TabularColumn } from '../../../core/documents/tabular';
import { addMonths, istMidnight } from '../../../core/tenant-time';
import type { BillingServices } from '../context';
import { studentNames } from '../fees/student.client';
import { libraryNames } from '../fees/tenant.client';
import { amountDue, emptyDues, type DuesState } from '../memberships/dues-ledger.service';
import { duesEntryModel, type DuesEntryDoc } from '../memberships/dues.model';
import { ChargeKind } from '../memberships/dues-ledger.service';
import { billingBranding, monthLabel } from './branding.service';

const COLUMNS: TabularColumn[] = [
  { header: 'Student', type: 'text', width: 2 },
  { header: 'Library', type: 'text', width: 1.6 },
  { header: 'Opening due', type: 'money', width: 1.3 },
  { header: 'Charged', type: 'money', width: 1.3 },
  { header: 'Paid', type: 'money', width: 1.3 },
  { header: 'Credited', type: 'money', width: 1.2 },
  { header: 'Refunded', type: 'money', width: 1.2 },
  { header: 'Closing due', type: 'money', width: 1.3 },
  { header: 'Advance', type: 'money', width: 1.2 },
  { header: 'Deposit held', type: 'money', width: 1.2 },
];

/** One student's month, from their dues chain. */
export interface DuesLine {
  studentId: string;
  libraryId?: string;
  opening: number;
  charged: number;
  paid: number;
  credited: number;
  refunded: number;
  closing: DuesState;
  active: boolean;
}

const NUMBERS = ['opening', 'charged', 'paid', 'credited', 'refunded'] as const;

/**
 * Folds one chain's entries (seq order, all before the month's end) into its month:
 * the state before the month opens it, the entries inside it move it, the last state closes it.
 */
export function foldDues(studentId: string, entries: readonly DuesEntryDoc[], start: Date): DuesLine {
  const line: DuesLine = { studentId, opening: 0, charged: 0, paid: 0, credited: 0, refunded: 0, closing: emptyDues(), active: false };
  for (const e of entries) {
    if (e.at < start) line.opening = amountDue(e.state);
    else {
      line.active = true;
      if (e.op === 'CHARGE' && e.charge && e.charge.kind !== ChargeKind.DEPOSIT) line.charged += e.amount;
      else if (e.op === 'PAYMENT') line.paid += e.amount;
      else if (e.op === 'CREDIT') line.credited += e.amount;
      else if (e.op === 'REFUND') line.refunded += e.amount;
    }
    line.closing = e.state;
  }
  line.libraryId = line.closing.libraryId;
  return line;
}

/**
 * The month's dues register from the dues ledger (the append-only chain per student, the
 * truth behind Student.dues): per student with a balance or a movement, the amount due at the
 * month's opening and closing (IST), charges, payments, credits and refunds of the month, and
 * the advance and deposit held at its close; a total row. Streams the ledger chain by chain.
 */
export const duesRegister: DocumentRenderer<BillingServices> = {
  formats: ['PDF', 'XLSX'],
  render: async (ctx, { params, format, out, signal }) => {
    const month = String(params.month);
    const start = new Date(istMidnight(`${month}-01`));
    const end = new Date(istMidnight(addMonths(`${month}-01`, 1)));
    const scope = Array.isArray(params.libraryIds) ? new Set(params.libraryIds as string[]) : null;
    const conn = await ctx.tenantDb();
    const [branding, single] = await Promise.all([billingBranding(ctx), scope?.size === 1 ? libraryNames(ctx, [...scope]) : Promise.resolve(null)]);
    const doc = useTabular({
      format,
      out,
      branding,
      title: 'Dues register',
      subtitle: `${monthLabel(month)} · ${single ? [...single.values()][0] || 'One library' : scope ? 'Your libraries' : 'All libraries'}`,
      layout: 'landscape',
    });
    const section = doc.section(`Dues ${month}`, COLUMNS);
    const total = { opening: 0, charged: 0, paid: 0, credited: 0, refunded: 0, closing: 0, advance: 0, deposit: 0 };
    let pending: DuesLine[] = [];
    const flush = async () => {
      if (!pending.length) return;
      const [names, libs] = await Promise.all([
        studentNames(
          ctx,
          pending.map((l) => l.studentId),
        ),
        libraryNames(ctx, [...new Set(pending.flatMap((l) => (l.libraryId ? [l.libraryId] : [])))]),
      ]);
      for (const l of pending) {
        const closing = amountDue(l.closing);
        section.row([
          names.get(l.studentId) || l.studentId,
          l.libraryId ? (libs.get(l.libraryId) ?? '') : '',
          l.opening,
          l.charged,
          l.paid,
          l.credited,
          l.refunded,
          closing,
          l.closing.advance,
          l.closing.depositHeld,
        ]);
        for (const k of NUMBERS) total[k] += l[k];
        total.closing += closing;
        total.advance += l.closing.advance;
        total.deposit += l.closing.depositHeld;
      }
      pending = [];
    };
    const take = async (chain: string, entries: DuesEntryDoc[]) => {
      const line = foldDues(chain, entries, start);
      if (scope && !(line.libraryId && scope.has(line.libraryId))) return;
      const c = line.closing;
      if (!line.active && line.opening === 0 && amountDue(c) === 0 && c.advance === 0 && c.depositHeld === 0) return;
      pending.push(line);
      if (pending.length >= 200) await flush();
    };
    // Chain by chain in seq order: one chain's entries in memory at a time.
    let chain: string | undefined;
    let entries: DuesEntryDoc[] = [];
    const cursor = duesEntryModel(conn)
      .find({ at: trusted({ $lt: end }) })
      .sort({ chain: 1, seq: 1 })
      .lean<DuesEntryDoc>()
      .cursor();
    for await (const e of cursor) {
      // The client went away: leaving the loop closes the cursor.
      if (signal.aborted) return;
      if (e.chain !== chain) {
        if (chain) await take(chain, entries);
        chain = e.chain;
        entries = [];
      }
      entries.push(e);
    }
    if (chain) await take(chain, entries);
    await flush();
    section.row(['Total', '', total.opening, total.charged, total.paid, total.credited, total.refunded, total.closing, total.advance, total.deposit], {
      bold: true,
    });
    await doc.end();
  },
};
