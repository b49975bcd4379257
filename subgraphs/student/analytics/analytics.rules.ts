import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { OccupancyHeatmap, RetentionCohort, RetentionPoint, StudentActivityPoint } from './analytics.type';

/** Who may reach the student analytics (docs/permissions.md): owners and managers, like churnRisk (students:read); not the front desk. */
export const studentAnalyticsRules: RuleTable = {
  Query: { occupancyHeatmap: 'students:read', studentActivity: 'students:read', studentRetention: 'students:read' },
  OccupancyHeatmap: typeRules<OccupancyHeatmap>({ '*': 'students:read' }),
  StudentActivityPoint: typeRules<StudentActivityPoint>({ '*': 'students:read' }),
  RetentionCohort: typeRules<RetentionCohort>({ '*': 'students:read' }),
  RetentionPoint: typeRules<RetentionPoint>({ '*': 'students:read' }),
};
