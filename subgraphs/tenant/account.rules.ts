import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { RecoveryCodes, TotpActivation, TotpEnrollment } from './account.type';

/** Who may reach account's fields (docs/permissions.md); `*` is every field without its own entry. */
export const accountRules: RuleTable = {
  // Accounts: anonymous reset and the TOTP step of a login; own password and TOTP.
  // enrollTotp/confirmTotp are public in the shield: the resolver takes the caller's token or a login's enrollment challenge (tenant policy), nothing else.
  Mutation: {
    changePassword: 'authenticated',
    requestPasswordReset: 'public',
    resetPassword: 'public',
    loginWithTotp: 'public',
    enrollTotp: 'public',
    confirmTotp: 'public',
    disableTotp: 'authenticated',
    regenerateRecoveryCodes: 'authenticated',
    resetUserTotp: 'users:update',
  },
  TotpEnrollment: typeRules<TotpEnrollment>({ '*': 'public' }),
  TotpActivation: typeRules<TotpActivation>({ '*': 'public' }),
  RecoveryCodes: typeRules<RecoveryCodes>({ '*': 'authenticated' }),
};
