import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { AuditEntry } from './audit.type';

/** Who may reach audit's fields (docs/permissions.md); `*` is every field without its own entry. */
export const auditRules: RuleTable = {
  Query: { auditLog: 'audit:read' },
  AuditEntry: typeRules<AuditEntry>({ '*': 'audit:read' }),
};
