import { trusted } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { templateModel, toTemplate, type TemplateDoc } from './template.model';
import { TemplateStatus } from './template.type';

/**
 * Records the DLT operator's decision. Conditional single-document updates:
 * approve only from PENDING; reject from PENDING or APPROVED (a registration
 * can be withdrawn); REJECTED is final — register a new template instead.
 */
export async function approveTemplate(ctx: RequestContext, id: string) {
  return review(ctx, id, [TemplateStatus.PENDING], { status: TemplateStatus.APPROVED });
}

export async function rejectTemplate(ctx: RequestContext, id: string, reason: string) {
  return review(ctx, id, [TemplateStatus.PENDING, TemplateStatus.APPROVED], {
    status: TemplateStatus.REJECTED, rejectionReason: reason.trim(),
  });
}

async function review(ctx: RequestContext, id: string, from: TemplateStatus[], set: Partial<TemplateDoc>) {
  const _id = parseId(id, 'id');
  const Template = templateModel(await ctx.tenantDb());
  const doc = await Template.findOneAndUpdate(
    { _id, status: trusted({ $in: from }) },
    { $set: { ...set, reviewedBy: ctx.auth?.sub } },
    { returnDocument: 'after' },
  ).lean<TemplateDoc>();
  if (doc) return toTemplate(doc);
  const current = await Template.findById(_id).lean<TemplateDoc>();
  if (!current) throw notFound('Template');
  throw conflict(`The template is ${current.status.toUpperCase()}`, 'id');
}
