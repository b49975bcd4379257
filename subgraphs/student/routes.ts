import type express from 'express';
import type { StudentDeps } from './context';
import { studentDocumentRoutes } from './documents/document.routes';
import { studentExportRoutes } from './student-export.routes';

/** Every HTTP route of the student service besides /graphql. */
export function studentRoutes(app: express.Express, deps: StudentDeps): void {
  studentExportRoutes(app, deps);
  studentDocumentRoutes(app, deps);
}
