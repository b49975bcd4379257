import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { StudentContext } from './context';
import { settingsOf, updateSettings } from './settings.service';
import { StudentSettingsInput } from './settings.input';
import { StudentSettings } from './settings.type';

@Resolver(() => StudentSettings)
export class StudentSettingsResolver {
  @Query(() => StudentSettings)
  studentSettings(@Ctx() ctx: StudentContext) {
    return settingsOf(ctx);
  }

  @Mutation(() => StudentSettings, { description: 'Time zone of attendance days, referral reward type and amount.' })
  updateStudentSettings(@Arg('input', () => StudentSettingsInput) input: StudentSettingsInput, @Ctx() ctx: StudentContext) {
    return updateSettings(ctx, input);
  }
}
