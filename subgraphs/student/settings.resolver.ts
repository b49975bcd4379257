import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { isTimeZone, readSettings, SETTINGS_ID, studentSettingsModel } from './settings.model';
import { StudentSettings, StudentSettingsInput } from './settings.type';

@Resolver(() => StudentSettings)
export class StudentSettingsResolver {
  @Query(() => StudentSettings)
  async studentSettings(@Ctx() ctx: RequestContext) {
    return readSettings(await ctx.tenantDb());
  }

  @Mutation(() => StudentSettings, { description: 'Time zone of attendance days, referral reward type and amount.' })
  async updateStudentSettings(@Arg('input', () => StudentSettingsInput) input: StudentSettingsInput, @Ctx() ctx: RequestContext) {
    if (input.timezone != null && !isTimeZone(input.timezone)) throw badInput('input.timezone', 'must be an IANA time zone, e.g. Asia/Kolkata');
    const set: Record<string, unknown> = {};
    if (input.timezone != null) set.timezone = input.timezone;
    if (input.referralRewardType != null) set.referralRewardType = input.referralRewardType;
    if (input.referralRewardAmount != null) set.referralRewardAmount = input.referralRewardAmount;
    const conn = await ctx.tenantDb();
    if (Object.keys(set).length) await studentSettingsModel(conn).updateOne({ _id: SETTINGS_ID }, { $set: set }, { upsert: true });
    return readSettings(conn);
  }
}
