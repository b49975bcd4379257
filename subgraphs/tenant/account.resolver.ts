import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { TenantContext } from './context';
import {
  ChangePasswordInput,
  ConfirmTotpArgs,
  DisableTotpArgs,
  EnrollTotpArgs,
  LoginWithTotpInput,
  RequestPasswordResetInput,
  ResetPasswordInput,
  TotpCodeArgs,
} from './account.input';
import { RecoveryCodes, TotpActivation, TotpEnrollment } from './account.type';
import { AuthPayload } from './auth.type';
import { changePassword, requestPasswordReset, resetPassword } from './password.service';
import { confirmTotp, disableTotp, enrollTotp, loginWithTotp, recoveryCodesLeft, regenerateRecoveryCodes, resetUserTotp, totpEnabled } from './totp.service';
import { Viewer } from './user.type';

/** Own account: password change and reset, TOTP second factor, the TOTP step of a login. */
@Resolver()
export class AccountResolver {
  @Mutation(() => AuthPayload, { description: "Changes the caller's password; ends every session (refresh token) and returns a new pair for this one." })
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
    return loginWithTotp(ctx, input);
  }

  @Mutation(() => TotpEnrollment, {
    description: 'Starts TOTP set-up for the signed-in caller, or with the mfaToken of a login that answered totpEnrollmentRequired.',
  })
  enrollTotp(@Args() { mfaToken }: EnrollTotpArgs, @Ctx() ctx: TenantContext) {
    return enrollTotp(ctx, mfaToken ?? undefined);
  }

  @Mutation(() => TotpActivation, {
    description: 'Turns TOTP on with the first code of the app; returns the recovery codes (and tokens when given an mfaToken).',
  })
  confirmTotp(@Args() { code, mfaToken }: ConfirmTotpArgs, @Ctx() ctx: TenantContext) {
    return confirmTotp(ctx, code, mfaToken ?? undefined);
  }

  @Mutation(() => Boolean, { description: "Turns the caller's TOTP off with a current code or a recovery code (not while the tenant requires it)." })
  disableTotp(@Args() { code, recoveryCode }: DisableTotpArgs, @Ctx() ctx: TenantContext) {
    return disableTotp(ctx, code ?? undefined, recoveryCode ?? undefined);
  }

  @Mutation(() => RecoveryCodes, { description: 'New recovery codes for the caller, with a current TOTP code; the old ones stop working.' })
  regenerateRecoveryCodes(@Args() { code }: TotpCodeArgs, @Ctx() ctx: TenantContext) {
    return regenerateRecoveryCodes(ctx, code);
  }

  @Mutation(() => Boolean, {
    description: "Turns off a staff member's TOTP (lost phone and recovery codes) and ends their sessions; false if it was off.",
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
