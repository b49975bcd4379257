import type { MessagingContext } from './context';
import { badInput, conflict } from '../../core/errors';
import { Channel } from './channel.type';
import type { CreateTemplateInput } from './template.input';
import { templateModel, type TemplateDoc } from './template.model';
import { TemplateStatus } from './template.type';
import { isDuplicateKey } from '../../core/store/duplicate-key';

const PLACEHOLDER = /\{#(.*?)#\}/g;
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const MAX_VARIABLES = 20;

/** Placeholder names of a template body, in order of first appearance; bad names are BAD_USER_INPUT. */
export function parseVariables(body: string, field = 'input.body'): string[] {
  const names: string[] = [];
  for (const [, name] of body.matchAll(PLACEHOLDER)) {
    if (!VARIABLE_NAME.test(name)) throw badInput(field, `placeholder {#${name.slice(0, 40)}#} must be a name like {#studentName#}`);
    if (!names.includes(name)) names.push(name);
  }
  if (names.length > MAX_VARIABLES) throw badInput(field, `at most ${MAX_VARIABLES} different placeholders`);
  return names;
}

/**
 * Fills a template's placeholders. Every placeholder needs a value and every
 * value a placeholder; the error names the offending variable.
 */
export function renderTemplate(body: string, variables: string[], given: { name: string; value: string }[], maxValueLength = Infinity): string {
  const values = new Map<string, string>();
  for (const { name, value } of given) {
    if (!variables.includes(name)) throw badInput('input.variables', `unknown variable "${name}" for this template`);
    if (values.has(name)) throw badInput('input.variables', `variable "${name}" is given twice`);
    if (value.length > maxValueLength) throw badInput('input.variables', `variable "${name}" exceeds ${maxValueLength} characters`);
    values.set(name, value);
  }
  const missing = variables.find((v) => !values.has(v));
  if (missing) throw badInput('input.variables', `missing variable "${missing}"`);
  // A replacer function, so `$&` and friends in values stay literal.
  return body.replace(PLACEHOLDER, (_m, name: string) => values.get(name)!);
}

/** Templates of the tenant (optionally of one channel), by name. */
export async function listTemplates(ctx: MessagingContext, channel: string | null | undefined) {
  const docs = await templateModel(await ctx.tenantDb())
    .find(channel ? { channel } : {})
    .sort({ name: 1 })
    .limit(500)
    .lean<TemplateDoc[]>();
  return docs.map(toTemplate);
}

export async function createTemplate(ctx: MessagingContext, input: CreateTemplateInput) {
  const variables = parseVariables(input.body);
  const dlt = input.channel === Channel.SMS && ctx.services.dlt;
  if (dlt && !input.dlt) throw badInput('input.dlt', 'SMS templates need their DLT entity id, template id and sender id');
  if (input.dlt && input.channel !== Channel.SMS) throw badInput('input.dlt', 'only SMS templates carry DLT data');
  if ((input.whatsappName != null || input.language != null) && input.channel !== Channel.WHATSAPP) {
    throw badInput('input.whatsappName', 'only WhatsApp templates have a WhatsApp name and language');
  }
  const Template = templateModel(await ctx.tenantDb());
  try {
    const doc = await Template.create({
      name: input.name.trim(),
      channel: input.channel,
      body: input.body,
      variables,
      dltEntityId: input.dlt?.entityId,
      dltTemplateId: input.dlt?.templateId,
      senderId: input.dlt?.senderId,
      whatsappName: input.whatsappName ?? undefined,
      language: input.channel === Channel.WHATSAPP ? (input.language ?? 'en') : undefined,
      // On a DLT route an SMS template is usable only once the operator has approved it.
      status: dlt ? TemplateStatus.PENDING : TemplateStatus.APPROVED,
    });
    return toTemplate(doc.toObject());
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('A template with this name already exists for this channel', 'input.name');
    throw err;
  }
}

export const toTemplate = (d: TemplateDoc) => ({
  id: d._id.toHexString(),
  name: d.name,
  channel: d.channel,
  body: d.body,
  variables: d.variables,
  status: d.status,
  dltEntityId: d.dltEntityId ?? null,
  dltTemplateId: d.dltTemplateId ?? null,
  senderId: d.senderId ?? null,
  whatsappName: d.whatsappName ?? null,
  language: d.language ?? null,
  rejectionReason: d.rejectionReason ?? null,
  createdAt: d.createdAt,
});
