import { validate } from 'class-validator';
import { CreateStudentInput } from '../subgraphs/student/student.input';
import { PaymentMethod } from '../subgraphs/billing/fees/payment.type';

/** A DynamoDB student item mapped to what we store, or the reasons it cannot be. */
export interface MappedStudent {
  /** Idempotency key: the item's primary key `PK|SK`. */
  key: string;
  name: string;
  phone: string;
  email?: string;
  centre: string;
  batch?: string;
  subjects: string[];
  status: 'active' | 'inactive';
  joinedAt?: Date;
  payments: { amountPaise: number; paidAt: Date; method: PaymentMethod; reference?: string }[];
  /** Days present, 'YYYY-MM-DD'. */
  attendance: string[];
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const METHODS: Record<string, PaymentMethod> = {
  cash: PaymentMethod.CASH,
  upi: PaymentMethod.UPI,
  card: PaymentMethod.CARD,
  online: PaymentMethod.ONLINE,
  bank: PaymentMethod.BANK_TRANSFER,
  bank_transfer: PaymentMethod.BANK_TRANSFER,
  neft: PaymentMethod.BANK_TRANSFER,
  cheque: PaymentMethod.BANK_TRANSFER,
};

/** Indian numbers are stored without spaces or dashes; a bare 10-digit number is kept as is. */
const normalisePhone = (p: string) => p.replace(/[\s()-]/g, '');

/**
 * Keys and fields of the migration plan (docs: multi-tenant-mongodb-migration-plan
 * §2.1/§4.1): PK 'STUDENT#ALL', SK 'STUDENT#<email>', GSI1PK 'BATCH#<batch>';
 * `mobile` (or `phone`), `centres` (first one → library), `subjects`,
 * `payments` [{ amount (rupees), date, mode }], `attendance` { 'YYYY-MM-DD': 'present' | true }.
 */
export async function mapStudentItem(item: Record<string, unknown>): Promise<{ student?: MappedStudent; reasons: string[] }> {
  const reasons: string[] = [];
  const pk = str(item.PK);
  const sk = str(item.SK);
  if (!pk.startsWith('STUDENT#') || !sk.startsWith('STUDENT#')) {
    return { reasons: [`not a student item (PK=${JSON.stringify(pk || null)}, SK=${JSON.stringify(sk || null)})`] };
  }
  const centres = Array.isArray(item.centres) ? item.centres.map(str).filter(Boolean) : [str(item.centre)].filter(Boolean);
  if (!centres.length) reasons.push('centres: missing (needed to choose the library)');
  const batch = str(item.batch) || (str(item.GSI1PK).startsWith('BATCH#') ? str(item.GSI1PK).slice(6) : '');
  const input = Object.assign(new CreateStudentInput(), {
    name: str(item.name),
    phone: normalisePhone(str(item.mobile) || str(item.phone)),
    email: (str(item.email) || (sk.includes('@') ? sk.slice(8) : '')).toLowerCase() || undefined,
    libraryId: 'checked-separately',
  });
  for (const e of await validate(input, { forbidUnknownValues: false })) {
    for (const m of Object.values(e.constraints ?? {})) reasons.push(`${e.property === 'phone' ? 'mobile' : e.property}: ${m}`);
  }
  const payments: MappedStudent['payments'] = [];
  for (const [i, p] of (Array.isArray(item.payments) ? item.payments : []).entries()) {
    const rec = (p ?? {}) as Record<string, unknown>;
    const rupees = Number(rec.amount);
    const paidAt = new Date(str(rec.date) || str(rec.paidAt));
    const method = METHODS[(str(rec.mode) || str(rec.method) || 'cash').toLowerCase()];
    if (!Number.isFinite(rupees) || rupees <= 0 || Math.round(rupees * 100) !== rupees * 100)
      reasons.push(`payments[${i}].amount: must be a positive amount in rupees`);
    else if (Number.isNaN(paidAt.getTime())) reasons.push(`payments[${i}].date: not a date`);
    else if (!method) reasons.push(`payments[${i}].mode: unknown payment mode "${str(rec.mode) || str(rec.method)}"`);
    else payments.push({ amountPaise: Math.round(rupees * 100), paidAt, method, reference: str(rec.reference) || str(rec.receipt) || undefined });
  }
  const attendance: string[] = [];
  const att = item.attendance;
  const entries: [string, unknown][] = Array.isArray(att) ? att.map((d) => [str(d), true]) : att && typeof att === 'object' ? Object.entries(att) : [];
  for (const [day, mark] of entries) {
    const present = mark === true || /^(present|p|yes|1)$/i.test(str(mark));
    if (!DAY.test(day) || Number.isNaN(new Date(`${day}T00:00:00Z`).getTime())) reasons.push(`attendance: "${day}" is not a YYYY-MM-DD day`);
    else if (present) attendance.push(day);
  }
  const enrolled = str(item.enrollmentDate) ? new Date(str(item.enrollmentDate)) : undefined;
  if (enrolled && Number.isNaN(enrolled.getTime())) reasons.push('enrollmentDate: not a date');
  if (reasons.length) return { reasons };
  return {
    reasons,
    student: {
      key: `${pk}|${sk}`,
      name: input.name,
      phone: input.phone,
      email: input.email,
      centre: centres[0],
      batch: batch || undefined,
      subjects: Array.isArray(item.subjects) ? item.subjects.map(str).filter(Boolean) : [],
      status: str(item.status).toLowerCase() === 'active' ? 'active' : 'inactive',
      joinedAt: enrolled,
      payments,
      attendance: [...new Set(attendance)].sort(),
    },
  };
}
