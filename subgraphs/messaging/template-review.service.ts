import type { MessagingContext } from './context';
import type { Connection } from 'mongoose';
import { conflict } from '../../core/errors';
import { parseId } from '../../core/ids';
import { modelOn } from '../../core/tenancy/db';
import { changeStatus, statusClaimSchema } from '../../core/tenancy/status-claims';
import { templateModel, type TemplateDoc } from './template.model';
import { toTemplate } from './template.service';
import { TemplateStatus } from './template.type';

const claimModel = (conn: Connection) => modelOn(conn, 'TemplateStatusClaim', statusClaimSchema('template_status_claims'));

/**
 * Records the DLT operator's decision: approve only from PENDING; reject from
 * PENDING or APPROVED (a registration can be withdrawn); REJECTED is final —
 * register a new template instead. One decision at a time (status-claims.ts):
 * a rejection racing an approval can never be overwritten by it.
 */
export async function approveTemplate(ctx: MessagingContext, id: string) {
  return review(ctx, id, [TemplateStatus.PENDING], { status: TemplateStatus.APPROVED });
}

export async function rejectTemplate(ctx: MessagingContext, id: string, reason: string) {
  return review(ctx, id, [TemplateStatus.PENDING, TemplateStatus.APPROVED], {
    status: TemplateStatus.REJECTED,
    rejectionReason: reason.trim(),
  });
}

async function review(ctx: MessagingContext, id: string, from: TemplateStatus[], set: Partial<TemplateDoc> & { status: string }) {
  const _id = parseId(id, 'id');
  const conn = await ctx.tenantDb();
  const doc = await changeStatus<TemplateDoc>(templateModel(conn), claimModel(conn), _id, {
    from,
    set: { ...set, reviewedBy: ctx.auth?.sub },
    entity: 'Template',
    refuse: (current) => conflict(`The template is ${current.toUpperCase()}`, 'id'),
  });
  return toTemplate(doc);
}
