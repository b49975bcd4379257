import { Ctx, FieldResolver, Resolver, Root, Directive } from 'type-graphql';
import type { BillingContext } from '../context';
import { PUBLIC_TAG } from '../../../core/federation/contract';
import { inLibraryScope } from '../../../core/scope/library-scope';
import { Student } from '../fees/student.type';
import { duesSummary, runningMembership, studentDues } from './dues-read.service';
import { Dues, DuesSummary } from './dues.type';
import { studentMemberships } from './membership.service';
import { Membership } from './membership.type';
import { toMembership } from './membership-view.service';

/** Billing's fee fields on the federated Student; nullable so a role without them still gets the rest of the student. */
@Resolver(() => Student)
export class StudentFeesResolver {
  @FieldResolver(() => [Membership], { nullable: true, description: "The student's memberships, newest first." })
  async memberships(@Root() s: Student, @Ctx() ctx: BillingContext) {
    return (await studentMemberships(ctx, s.id.toLowerCase())).map(toMembership);
  }

  @FieldResolver(() => Membership, { nullable: true, description: 'The running (active or frozen) membership.' })
  async activeMembership(@Root() s: Student, @Ctx() ctx: BillingContext) {
    const m = await runningMembership(ctx, s.id.toLowerCase());
    return m && inLibraryScope(ctx, m.libraryId) ? toMembership(m) : null;
  }

  @FieldResolver(() => Dues, { nullable: true, description: 'The dues ledger: amount owed, advance credit, deposit, charges.' })
  async dues(@Root() s: Student, @Ctx() ctx: BillingContext) {
    const d = await studentDues(ctx, s.id.toLowerCase());
    return { ...d, membership: d.membership ? toMembership(d.membership) : undefined };
  }

  @Directive(PUBLIC_TAG)
  @FieldResolver(() => DuesSummary, { nullable: true, description: 'Amount owed and since when (partners: scope fees:summary).' })
  duesSummary(@Root() s: Student, @Ctx() ctx: BillingContext) {
    return duesSummary(ctx, s.id.toLowerCase());
  }
}
