import { useDocumentRoutes } from '../../../core/documents/routes';
import type { StudentServices } from '../context';
import { attendanceSheetRenderer } from './attendance-sheet-render.service';
import { STUDENT_DOCUMENTS } from './attendance-sheet.service';
import { attendanceExportRenderer, studentsExportRenderer } from './export.service';

/** GET /documents/:token of the student subgraph: its renderers by kind (links issued by document.resolver.ts). */
export const studentDocumentRoutes = useDocumentRoutes<StudentServices>({
  renderers: {
    [STUDENT_DOCUMENTS.attendanceSheet]: attendanceSheetRenderer,
    [STUDENT_DOCUMENTS.studentsExport]: studentsExportRenderer,
    [STUDENT_DOCUMENTS.attendanceExport]: attendanceExportRenderer,
  },
});
