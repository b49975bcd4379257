import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Template } from './template.type';

/** Who may reach template's fields (docs/permissions.md); `*` is every field without its own entry. */
export const templateRules: RuleTable = {
  Query: { templates: 'messages:read' },
  Mutation: { createTemplate: 'templates:write', approveTemplate: 'templates:approve', rejectTemplate: 'templates:approve' },
  Template: typeRules<Template>({ '*': 'messages:read' }),
};
