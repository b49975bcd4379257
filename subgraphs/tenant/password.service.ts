import { randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { Types } from 'mongoose';
import type { TenantContext } from './context';
import { AppError, badInput } from '../../core/errors';
import { gatewaySeenIp, guardLogin } from '../../core/security/login-guard';
import { keyedHash, matchesKeyedHash } from '../../core/security/secret-box';
import { claimOnce } from './account-claim.service';
import { accountsOf } from './account-limits.service';
import { auditAccount } from './account-audit.service';
import { anonymousScope, callerAccount, findByEmail, type Account } from './account-scope.service';
import type { ChangePasswordInput, RequestPasswordResetInput, ResetPasswordInput } from './account.input';
import { hashPassword, revokeUserSessions, startSession, type LoginResult } from './auth.service';
import { sendPlatformMail } from './messaging.client';
import { passwordResetModel, type PasswordResetDoc } from './password-reset.model';

// BAD_USER_INPUT (the caller stays signed in), counted by the lockout like a wrong login password.
const wrongCurrent = () => new AppError('BAD_USER_INPUT', 'currentPassword: is not your current password', { field: 'currentPassword', loginFailure: true });

/**
 * Own password change (tenant or platform user). The current password is checked
 * under the login lockout (a wrong one counts as a failed login). Every refresh
 * token of the user is revoked, this device's too, and a new pair is returned for
 * this device: a stolen session cannot outlive the change. Access tokens already
 * issued run out within ACCESS_TOKEN_TTL.
 */
export async function changePassword(ctx: TenantContext, input: ChangePasswordInput): Promise<LoginResult> {
  const account = await callerAccount(ctx);
  const { user, tenant } = account;
  return guardLogin(ctx, tenant?.slug, user.email, async () => {
    if (!(await bcrypt.compare(input.currentPassword, user.passwordHash))) throw wrongCurrent();
    await setPassword(ctx, account, input.newPassword);
    return startSession(ctx, account);
  });
}

async function setPassword(ctx: TenantContext, { users, user, tenant }: Account, password: string): Promise<void> {
  await users.updateOne({ _id: user._id }, { $set: { passwordHash: await hashPassword(password) } });
  await revokeUserSessions(ctx, user._id.toHexString(), tenant?._id.toHexString() ?? null);
}

const accountKey = (tenant: string | undefined, email: string) => `${tenant ?? ''}\n${email.trim().toLowerCase()}`;

/**
 * Same answer, and the same work before it, whether or not the account exists:
 * both rate limits are spent, the tenant and the user are looked up, and the
 * code is made, stored and mailed after the answer (so mail latency tells
 * nothing either). Unknown accounts get no mail and no audit entry.
 */
export async function requestPasswordReset(ctx: TenantContext, input: RequestPasswordResetInput): Promise<boolean> {
  const accounts = accountsOf(ctx);
  const tenantName = input.tenant ?? ctx.requestedTenant.slug ?? ctx.requestedTenant.host;
  await accounts.allowResetRequest(accountKey(tenantName, input.email), gatewaySeenIp(ctx));
  const scope = await anonymousScope(ctx, input.tenant);
  const user = scope ? await findByEmail(scope, input.email) : null;
  if (scope && user && user.status === 'active') {
    const account = { ...scope, user };
    void issueResetCode(ctx, account).catch((err: unknown) => ctx.log.error({ err }, 'password reset code not sent'));
  }
  return true;
}

async function issueResetCode(ctx: TenantContext, account: Account): Promise<void> {
  const accounts = accountsOf(ctx);
  const _id = new Types.ObjectId();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = accounts.now();
  await passwordResetModel(account.conn).create({
    _id,
    userId: account.user._id.toHexString(),
    codeHash: keyedHash(ctx.config.security.accountKeys, `reset:${_id.toHexString()}`, code),
    createdAt: new Date(now),
    expiresAt: new Date(now + accounts.resetCodeTtlSeconds * 1000),
  });
  await auditAccount(ctx, account.tenant, 'requestPasswordReset', account.user);
  await sendPlatformMail(ctx, account.tenant, {
    to: account.user.email,
    passwordReset: { code, expiresInMinutes: Math.max(1, Math.round(accounts.resetCodeTtlSeconds / 60)) },
  });
}

const invalidCode = () => badInput('code', 'is invalid or expired; request a new one');

/**
 * Only the newest code of the user counts; each code allows a few guesses
 * (right or wrong, spent before it is checked, atomically in the limiter), then
 * it is dead; the right one works once (a unique claim), and success revokes
 * every refresh token of the user. Every refusal is the same answer.
 */
export async function resetPassword(ctx: TenantContext, input: ResetPasswordInput): Promise<boolean> {
  const accounts = accountsOf(ctx);
  const ring = ctx.config.security.accountKeys;
  const scope = await anonymousScope(ctx, input.tenant);
  const user = scope ? await findByEmail(scope, input.email) : null;
  const reset =
    scope && user ? await passwordResetModel(scope.conn).findOne({ userId: user._id.toHexString() }).sort({ createdAt: -1 }).lean<PasswordResetDoc>() : null;
  if (!scope || !user || !reset || user.status !== 'active') {
    keyedHash(ring, 'reset:none', input.code);
    throw invalidCode();
  }
  const resetId = reset._id.toHexString();
  if (!(await accounts.spendResetGuess(resetId))) throw invalidCode();
  if (!matchesKeyedHash(ring, reset.codeHash, `reset:${resetId}`, input.code)) throw invalidCode();
  if (reset.expiresAt.getTime() <= accounts.now()) throw invalidCode();
  if (!(await claimOnce(scope.conn, `reset:${resetId}`))) throw invalidCode();
  const account = { ...scope, user };
  await setPassword(ctx, account, input.newPassword);
  await auditAccount(ctx, scope.tenant, 'resetPassword', user);
  return true;
}
