import { registerEnumType } from 'type-graphql';

/**
 * The student subgraph's StudentStatus (same name and values, so composition
 * merges the two); used here only to filter bulk-send recipients.
 */
export enum StudentStatus {
  ACTIVE = 'active',
  INACTIVE = 'inactive',
  LEFT = 'left',
}
registerEnumType(StudentStatus, { name: 'StudentStatus' });
