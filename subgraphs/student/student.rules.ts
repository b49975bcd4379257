import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { IdProof, PageInfo, Student, StudentConnection, StudentEdge } from './student.type';

/** Who may reach student's fields (docs/permissions.md); `*` is every field without its own entry. */
export const studentRules: RuleTable = {
  Query: { student: 'students:list', students: 'students:list' },
  Mutation: { createStudent: 'students:create', updateStudent: 'students:update', deleteStudent: 'students:delete' },
  Student: typeRules<Student>({ '*': 'students:list', email: 'students:read', phone: 'students:read', parentPhone: 'students:read', idProof: 'students:read' }),
  IdProof: typeRules<IdProof>({ '*': 'students:read' }),
  StudentConnection: typeRules<StudentConnection>({ '*': 'students:list' }),
  StudentEdge: typeRules<StudentEdge>({ '*': 'students:list' }),
  PageInfo: typeRules<PageInfo>({ '*': 'authenticated' }),
};
