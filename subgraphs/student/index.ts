import type { ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { quotaSlotSchema } from '../../core/tenancy/quota';
import { attendanceSchema } from './attendance.model';
import { AttendanceResolver } from './attendance.resolver';
import { bookingSchema } from './booking.model';
import { BookingResolver } from './booking.resolver';
import { LibraryResolver, resolveLibraryReference } from './library.resolver';
import { OccupancySubscriptionResolver } from './occupancy.subscription';
import { studentSchema } from './student.model';
import { resolveStudentReference, StudentResolver } from './student.resolver';

/** Collections the student subgraph keeps in every tenant database. */
export const studentSubgraphSchemas = {
  Student: studentSchema,
  Booking: bookingSchema,
  Attendance: attendanceSchema,
  StudentQuota: quotaSlotSchema('student_quotas'),
};

export const definition: SubgraphDefinition = {
  resolvers: [StudentResolver, BookingResolver, AttendanceResolver, LibraryResolver, OccupancySubscriptionResolver],
  references: { Student: resolveStudentReference, Library: resolveLibraryReference },
};

export function createServer(config: ServiceConfig, db?: DbManager, opts: SubgraphRuntime = {}) {
  return startSubgraphServer({ name: 'student', config, db, pubsub: opts.pubsub, definition, tenantSchemas: studentSubgraphSchemas });
}
