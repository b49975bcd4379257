import { formatRupees } from '../../core/money';
import type { CrmTaskReminderMailInput, PasswordResetMailInput, SaasDunningMailInput } from './platform-mail.input';

export interface MailContent {
  subject: string;
  body: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export function passwordResetMail(sender: string, m: PasswordResetMailInput): MailContent {
  return {
    subject: `${sender} password reset code`,
    body: [
      `Your ${sender} password reset code is ${m.code}.`,
      `It expires in ${m.expiresInMinutes} minutes and works once.`,
      'If you did not ask to reset your password, ignore this email: your password stays as it is.',
    ].join('\n\n'),
  };
}

const DUNNING_SUBJECTS: Record<string, string> = {
  ISSUED: 'Your StudySpot renewal invoice',
  OVERDUE: 'Your StudySpot payment is overdue',
  SUSPENDED: 'Your StudySpot account is suspended for an unpaid invoice',
};

/** The owner-facing dunning reminder: invoice, amount, dates and the pay link (no login needed). */
export function saasDunningMail(m: SaasDunningMailInput): MailContent {
  const what = `invoice ${m.invoiceNumber} for ₹${formatRupees(m.amountDue)} (GST included)`;
  const situation: Record<string, string> = {
    ISSUED: `The renewal ${what} for ${m.accountName} is due on ${day(m.dueAt)}.`,
    OVERDUE: `The renewal ${what} for ${m.accountName} was due on ${day(m.dueAt)} and is unpaid. StudySpot keeps running until ${day(m.graceEndsAt)}; after that the account is suspended.`,
    SUSPENDED: `${m.accountName} is suspended because ${what}, due on ${day(m.dueAt)}, is unpaid. Your data is kept; paying the invoice reactivates the account at once.`,
  };
  return {
    subject: `${DUNNING_SUBJECTS[m.step]} ${m.invoiceNumber}`,
    body: [
      situation[m.step],
      `Pay it securely here (no login needed): ${m.payUrl}`,
      'The link opens the payment page of this invoice only. If it has expired, the next reminder carries a new one, or pay from the billing page.',
    ].join('\n\n'),
  };
}

/** A sales desk follow-up fell due (platform staff only; the lead's contact details stay in the CRM). */
export function crmTaskReminderMail(m: CrmTaskReminderMailInput): MailContent {
  return {
    subject: `Follow-up due: ${m.taskTitle}`,
    body: [
      `Hello ${m.assigneeName},`,
      `Your follow-up "${m.taskTitle}" on the lead ${m.leadName} was due at ${m.dueAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
      'Open the sales desk to see the lead and mark the task done. This is the only reminder for this task.',
    ].join('\n\n'),
  };
}
