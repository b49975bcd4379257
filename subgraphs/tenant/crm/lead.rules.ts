import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { Lead, LeadBoardColumn, LeadNote, LeadPage, LeadStageMove } from './lead.type';
import type { LeadTask } from './lead-task.type';
import type { LeadFunnel, LeadSourceFunnel, LeadStageCount } from './lead-report.type';

/** The platform's sales desk: platform roles only (no tenant role holds crm:*; docs/permissions.md). */
export const leadRules: RuleTable = {
  Query: { leads: 'crm:read', lead: 'crm:read', leadBoard: 'crm:read', leadTasksDue: 'crm:read', leadFunnel: 'crm:read' },
  Mutation: {
    createLead: 'crm:write',
    updateLead: 'crm:write',
    moveLeadStage: 'crm:write',
    assignLead: 'crm:write',
    addLeadNote: 'crm:write',
    addLeadTask: 'crm:write',
    completeLeadTask: 'crm:write',
    // Converting a lead provisions a tenant: it needs both.
    convertLead: ['crm:write', 'tenants:create'],
    sendLeadTaskReminders: 'crm:write',
  },
  Lead: typeRules<Lead, 'notes' | 'tasks' | 'stageHistory' | 'tenant'>({ '*': 'crm:read' }),
  LeadStageMove: typeRules<LeadStageMove>({ '*': 'crm:read' }),
  LeadTask: typeRules<LeadTask>({ '*': 'crm:read' }),
  LeadNote: typeRules<LeadNote>({ '*': 'crm:read' }),
  LeadPage: typeRules<LeadPage>({ '*': 'crm:read' }),
  LeadBoardColumn: typeRules<LeadBoardColumn>({ '*': 'crm:read' }),
  LeadFunnel: typeRules<LeadFunnel>({ '*': 'crm:read' }),
  LeadSourceFunnel: typeRules<LeadSourceFunnel>({ '*': 'crm:read' }),
  LeadStageCount: typeRules<LeadStageCount>({ '*': 'crm:read' }),
};
