import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { Lead, LeadBoardColumn, LeadNote, LeadPage } from './lead.type';

/** The platform's sales desk: platform roles only (no tenant role holds crm:*; docs/permissions.md). */
export const leadRules: RuleTable = {
  Query: { leads: 'crm:read', lead: 'crm:read', leadBoard: 'crm:read' },
  Mutation: {
    createLead: 'crm:write',
    updateLead: 'crm:write',
    moveLeadStage: 'crm:write',
    assignLead: 'crm:write',
    addLeadNote: 'crm:write',
  },
  Lead: typeRules<Lead, 'notes'>({ '*': 'crm:read' }),
  LeadNote: typeRules<LeadNote>({ '*': 'crm:read' }),
  LeadPage: typeRules<LeadPage>({ '*': 'crm:read' }),
  LeadBoardColumn: typeRules<LeadBoardColumn>({ '*': 'crm:read' }),
};
