import { Types, type Connection } from 'mongoose';
import { badInput } from '../../core/errors';
import { parseId } from '../../core/ids';
import { AUTOMATION_VARIABLES } from './automation-content.service';
import type { AutomationRuleInput, UpdateAutomationSettingsInput } from './automation.input';
import { automationSettingsModel, type AutomationKind, type AutomationSettingsDoc, type RuleDoc } from './automation.model';
import { Channel } from './channel.type';
import type { AutomationRuntime, MessagingContext } from './context';
import { templateModel, type TemplateDoc } from './template.model';
import { TemplateStatus } from './template.type';

const SETTINGS_ID = 'automation';

/**
 * Defaults for a tenant that never saved settings: welcome and receipt on with
 * the automatic channel, dues reminders off (they repeat, so they are opt-in).
 * `defaultsOn` is false in tests so other suites' students cost no credits.
 */
export function defaultSettings(defaultsOn: boolean): AutomationSettingsDoc {
  return {
    _id: SETTINGS_ID,
    welcome: { enabled: defaultsOn, channel: null, templateId: null },
    receipt: { enabled: defaultsOn, channel: null, templateId: null },
    dues: { enabled: false, channel: null, templateId: null, afterDays: 30, repeatEveryDays: 7 },
  };
}

export async function loadSettings(conn: Connection, runtime: AutomationRuntime): Promise<AutomationSettingsDoc> {
  const saved = await automationSettingsModel(conn).findById(SETTINGS_ID).lean<AutomationSettingsDoc>();
  return saved ?? defaultSettings(runtime.defaultsOn);
}

const toRule = (r: RuleDoc) => ({ enabled: r.enabled, channel: (r.channel as Channel | null) ?? null, templateId: r.templateId?.toHexString() ?? null });

export const toSettings = (d: AutomationSettingsDoc) => ({
  welcome: toRule(d.welcome),
  receipt: toRule(d.receipt),
  duesReminder: { ...toRule(d.dues), afterDays: d.dues.afterDays, repeatEveryDays: d.dues.repeatEveryDays },
  monthlyReportEmail: d.monthlyPack !== false,
  updatedAt: d.updatedAt ?? null,
});

export async function getSettings(ctx: MessagingContext) {
  return toSettings(await loadSettings(await ctx.tenantDb(), ctx.services.automation));
}

/** Validates every rule given, then writes them in one update: bad input changes nothing. */
export async function updateSettings(ctx: MessagingContext, input: UpdateAutomationSettingsInput) {
  const conn = await ctx.tenantDb();
  const set: Record<string, unknown> = {};
  const rules: [AutomationKind, string, AutomationRuleInput | null | undefined][] = [
    ['welcome', 'input.welcome', input.welcome],
    ['receipt', 'input.receipt', input.receipt],
    ['dues', 'input.duesReminder', input.duesReminder],
  ];
  for (const [kind, field, rule] of rules) {
    if (rule) set[kind] = { ...rule, ...(await checkRule(ctx, conn, kind, field, rule)) };
  }
  if (input.monthlyReportEmail != null) set.monthlyPack = input.monthlyReportEmail;
  // Rules not given keep their value, or get the defaults on the first save (no read-then-write).
  const defaults = defaultSettings(ctx.services.automation.defaultsOn);
  const onInsert: Record<string, unknown> = {};
  for (const kind of ['welcome', 'receipt', 'dues'] as const) if (!(kind in set)) onInsert[kind] = defaults[kind];
  const doc = await automationSettingsModel(conn)
    .findOneAndUpdate(
      { _id: SETTINGS_ID },
      { $set: { ...set, updatedBy: ctx.auth?.sub }, ...(Object.keys(onInsert).length ? { $setOnInsert: onInsert } : {}) },
      { upsert: true, returnDocument: 'after' },
    )
    .lean<AutomationSettingsDoc>();
  return toSettings(doc!);
}

/** The template (APPROVED, same channel, known placeholders only) and DLT rules decide what is allowed. */
async function checkRule(ctx: MessagingContext, conn: Connection, kind: AutomationKind, field: string, rule: AutomationRuleInput) {
  let channel = rule.channel ?? null;
  let templateId: Types.ObjectId | null = null;
  if (rule.templateId != null) {
    templateId = parseId(rule.templateId, `${field}.templateId`);
    const template = await templateModel(conn).findById(templateId).lean<TemplateDoc>();
    if (!template) throw badInput(`${field}.templateId`, 'no such template');
    if (template.status !== TemplateStatus.APPROVED) throw badInput(`${field}.templateId`, `template is not approved (${template.status.toUpperCase()})`);
    if (channel && template.channel !== channel) throw badInput(`${field}.channel`, `the template is for ${template.channel.toUpperCase()}`);
    const unknown = template.variables.find((v) => !AUTOMATION_VARIABLES[kind].includes(v));
    if (unknown) throw badInput(`${field}.templateId`, `placeholder {#${unknown}#} cannot be filled; use ${AUTOMATION_VARIABLES[kind].join(', ')}`);
    channel = template.channel as Channel;
  } else if (channel === Channel.SMS && ctx.services.dlt) {
    throw badInput(`${field}.templateId`, 'SMS on a DLT route needs an approved DLT template');
  }
  return { channel, templateId };
}
