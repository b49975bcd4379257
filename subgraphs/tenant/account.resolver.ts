import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { TenantContext } from './context';
import { badInput } from '../../core/errors';
import { ChangePasswordInput, LoginWithTotpInput, RequestPasswordResetInput, ResetPasswordInput } from './account.input';
import { RecoveryCodes, TotpActivation, TotpEnrollment } from './account.type';
import { AuthPayload } from './auth.type';
import { changePassword, requestPasswordReset, resetPassword } from './password.service';
import {
  confirmTotp, disableTotp, enrollTotp, loginWithTotp, recoveryCodesLeft, regenerateRecoveryCodes, resetUserTotp, totpEnabled,
} from './totp.service';
import { Viewer } from './user.type';

const CODE = /^\d{6}$/;
const checkCode = (code: string) => {
  if (!CODE.test(code)) throw badInput('code', 'must be 6 digits');
  return code;
};
const checkToken = (token: string | undefined) => {
  if (token !== undefined && token !== null && (token.length < 1 || token.length > 2000)) throw badInput('mfaToken', 'is not a login challenge');
  return token ?? undefined;
};

/** Own account: password change and reset, TOTP second factor, the TOTP step of a login. */
@Resolver()
export class AccountResolver {
  @Mutation(() => AuthPayload, { description: 'Changes the caller\'s password; ends every session (refresh token) and returns a new pair for this one.' })
  changePassword(@Arg('input', () => ChangePasswordInput) input: ChangePasswordInput, @Ctx() ctx: TenantContext) {
    return changePassword(ctx, input);
  }

  @Mutation(() => Boolean, {
    description: 'Emails a 6-digit reset code (single use, expires). Always true, whether or not the account exists; rate-limited per account and IP.',
  })
  requestPasswordReset(@Arg('input', () => RequestPasswordResetInput) input: RequestPasswordResetInput, @Ctx() ctx: TenantContext) {
    return requestPasswordReset(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password with the emailed code; ends every session of the account.' })
  resetPassword(@Arg('input', () => ResetPasswordInput) input: ResetPasswordInput, @Ctx() ctx: TenantContext) {
    return resetPassword(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'Finishes a login that answered mfaRequired, with a TOTP code or a recovery code.' })
  loginWithTotp(@Arg('input', () => LoginWithTotpInput) input: LoginWithTotpInput, @Ctx() ctx: TenantContext) {
    if ((input.code == null) === (input.recoveryCode == null)) throw badInput('input.code', 'give exactly one of code or recoveryCode');
    return loginWithTotp(ctx, input);
  }

  @Mutation(() => TotpEnrollment, {
    description: 'Starts TOTP set-up for the signed-in caller, or with the mfaToken of a login that answered totpEnrollmentRequired.',
  })
  enrollTotp(@Arg('mfaToken', () => String, { nullable: true }) mfaToken: string | undefined, @Ctx() ctx: TenantContext) {
    return enrollTotp(ctx, checkToken(mfaToken));
  }

  @Mutation(() => TotpActivation, { description: 'Turns TOTP on with the first code of the app; returns the recovery codes (and tokens when given an mfaToken).' })
  confirmTotp(
    @Arg('code', () => String) code: string,
    @Arg('mfaToken', () => String, { nullable: true }) mfaToken: string | undefined,
    @Ctx() ctx: TenantContext,
  ) {
    return confirmTotp(ctx, checkCode(code), checkToken(mfaToken));
  }

  @Mutation(() => Boolean, { description: 'Turns the caller\'s TOTP off with a current code or a recovery code (not while the tenant requires it).' })
  disableTotp(
    @Arg('code', () => String, { nullable: true }) code: string | undefined,
    @Arg('recoveryCode', () => String, { nullable: true }) recoveryCode: string | undefined,
    @Ctx() ctx: TenantContext,
  ) {
    if ((code == null) === (recoveryCode == null)) throw badInput('code', 'give exactly one of code or recoveryCode');
    if (code != null) checkCode(code);
    if (recoveryCode != null && (recoveryCode.length < 10 || recoveryCode.length > 20)) throw badInput('recoveryCode', 'is not a recovery code');
    return disableTotp(ctx, code ?? undefined, recoveryCode ?? undefined);
  }

  @Mutation(() => RecoveryCodes, { description: 'New recovery codes for the caller, with a current TOTP code; the old ones stop working.' })
  regenerateRecoveryCodes(@Arg('code', () => String) code: string, @Ctx() ctx: TenantContext) {
    return regenerateRecoveryCodes(ctx, checkCode(code));
  }

  @Mutation(() => Boolean, {
    description: 'Turns off a staff member\'s TOTP (lost phone and recovery codes) and ends their sessions; false if it was off.',
  })
  resetUserTotp(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return resetUserTotp(ctx, id);
  }
}

@Resolver(() => Viewer)
export class ViewerSecurityResolver {
  @FieldResolver(() => Boolean, { description: 'Whether the caller has TOTP on.' })
  totpEnabled(@Root() _viewer: Viewer, @Ctx() ctx: TenantContext) {
    return totpEnabled(ctx);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Recovery codes not used yet; null without TOTP.' })
  recoveryCodesLeft(@Root() _viewer: Viewer, @Ctx() ctx: TenantContext) {
    return recoveryCodesLeft(ctx);
  }
}
