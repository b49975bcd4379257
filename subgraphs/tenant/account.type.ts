import { Field, ObjectType } from 'type-graphql';
import { AuthPayload } from './auth.type';

@ObjectType({ description: 'A TOTP secret to put into an authenticator app (show the URI as a QR code); inactive until confirmTotp.' })
export class TotpEnrollment {
  @Field(() => String, { description: 'Base32 secret, for typing in by hand.' }) secret: string;
  @Field(() => String, { description: 'otpauth://totp/… URI (RFC 6238, SHA1, 6 digits, 30 s).' }) otpauthUri: string;
  @Field(() => String, { description: "Name the app shows: the tenant's display name, or StudySpot." }) issuer: string;
}

@ObjectType({ description: 'TOTP is on. The recovery codes are shown this once: each replaces a code once.' })
export class TotpActivation {
  @Field(() => [String]) recoveryCodes: string[];
  @Field(() => AuthPayload, { nullable: true, description: 'Tokens, when confirmed with the enrollment mfaToken of a login.' })
  session: AuthPayload | null;
}

@ObjectType({ description: 'A new set of recovery codes, shown this once; the previous set no longer works.' })
export class RecoveryCodes {
  @Field(() => [String]) recoveryCodes: string[];
}
