import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Tokens from login or refresh. Keep the refresh token secret; it rotates on every use.' })
export class AuthPayload {
  @Field(() => String) accessToken: string;
  @Field(() => String) refreshToken: string;
  @Field(() => Int, { description: 'Access token lifetime in seconds.' }) expiresIn: number;
  @Field(() => String) role: string;
}
