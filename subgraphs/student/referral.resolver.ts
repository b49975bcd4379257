import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, pageSize } from '../../core/pagination';
import type { StudentContext } from './context';
import { listReferrals, referralCode, referralStats } from './referral.service';
import { Referral, ReferralStats } from './referral.type';
import { studentLoader } from './student.loader';
import { Student } from './student.type';

type ReferralView = Awaited<ReturnType<typeof listReferrals>>[number];

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => String, { description: "The student's referral code, issued on first ask (8 characters, no 0/O/1/I/L)." })
  referralCode(@Arg('studentId', () => ID) studentId: string, @Ctx() ctx: StudentContext) {
    return referralCode(ctx, studentId);
  }

  @Query(() => [Referral], { description: 'Newest first; only those made by studentId when given.' })
  referrals(
    @Arg('studentId', () => ID, { nullable: true, description: 'The referrer.' }) studentId: string | undefined,
    @Args() { first }: PageArgs,
    @Ctx() ctx: StudentContext,
  ) {
    return listReferrals(ctx, studentId ?? undefined, pageSize(first));
  }

  @Query(() => ReferralStats)
  referralStats(@Ctx() ctx: StudentContext) {
    return referralStats(ctx);
  }

  // A deleted student leaves their referrals behind: null rather than an error for the whole list.
  @FieldResolver(() => Student, { nullable: true })
  referrer(@Root() r: ReferralView, @Ctx() ctx: StudentContext) {
    return studentLoader(ctx).load(r.referrerId);
  }

  @FieldResolver(() => Student, { nullable: true })
  referee(@Root() r: ReferralView, @Ctx() ctx: StudentContext) {
    return studentLoader(ctx).load(r.refereeId);
  }
}
