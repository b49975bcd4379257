import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'Tokens from login or refresh. Keep the refresh token secret; it rotates on every use. ' +
    'A login that needs a second factor answers with no tokens and a challenge instead (mfaRequired or totpEnrollmentRequired, and mfaToken).',
})
export class AuthPayload {
  @Field(() => String, { nullable: true, description: 'Null while the login waits for its second factor.' }) accessToken: string | null;
  @Field(() => String, { nullable: true, description: 'Null while the login waits for its second factor.' }) refreshToken: string | null;
  @Field(() => Int, { nullable: true, description: 'Access token lifetime in seconds.' }) expiresIn: number | null;
  @Field(() => String) role: string;
  @Field(() => Boolean, { description: 'The user has TOTP: finish with loginWithTotp(mfaToken, code or recoveryCode).' })
  mfaRequired: boolean;
  @Field(() => Boolean, {
    description: 'The tenant requires TOTP for this role and the user has none: enrollTotp(mfaToken) then confirmTotp(code, mfaToken), which signs in.',
  })
  totpEnrollmentRequired: boolean;
  @Field(() => String, { nullable: true, description: 'Short-lived challenge of an unfinished login; good for nothing else.' })
  mfaToken: string | null;
}
