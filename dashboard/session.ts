import { gql } from './api';
import { LOGIN, LOGIN_TOTP, LOGOUT, REFRESH, type AuthPayload, type LoginPayload } from './queries';

/** Kept for this tab only: sessionStorage survives a reload, never shared with other tabs or kept on disk. */
const STORAGE_KEY = 'studyspot.dashboard.session';
/** Refresh an access token this close to its expiry before using it. */
const EARLY_REFRESH_MS = 30_000;

interface Stored {
  tenant: string;
  email: string;
  accessToken: string;
  refreshToken: string;
}

/** Expiry of a JWT from its payload (not verified: the server does that; this only decides when to refresh). */
function expiresAt(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return (payload.exp ?? 0) * 1000;
  } catch {
    return 0;
  }
}

export class Session {
  private refreshing?: Promise<string>;

  private constructor(
    readonly endpoint: string,
    private state: Stored,
  ) {}

  get tenant(): string {
    return this.state.tenant;
  }
  get email(): string {
    return this.state.email;
  }

  /** A session, or the mfaToken of a login that waits for the authenticator code (finish with loginWithTotp). */
  static async login(endpoint: string, tenant: string, email: string, password: string): Promise<Session | { mfaToken: string }> {
    const { login } = await gql<{ login: LoginPayload }>(endpoint, LOGIN, { i: { tenant, email, password } });
    if (login.mfaRequired && login.mfaToken) return { mfaToken: login.mfaToken };
    if (login.totpEnrollmentRequired || !login.accessToken || !login.refreshToken) {
      throw new Error('Your library requires two-factor sign-in for your role: set up an authenticator app first, then sign in here.');
    }
    return Session.start(endpoint, tenant, email, { ...login, accessToken: login.accessToken, refreshToken: login.refreshToken });
  }

  /** Second step: the authenticator code (or a recovery code) for the mfaToken login gave. */
  static async loginWithTotp(endpoint: string, tenant: string, email: string, mfaToken: string, code: string): Promise<Session> {
    const input = /^\d{6}$/.test(code) ? { mfaToken, code } : { mfaToken, recoveryCode: code };
    const { loginWithTotp } = await gql<{ loginWithTotp: AuthPayload }>(endpoint, LOGIN_TOTP, { i: input });
    return Session.start(endpoint, tenant, email, loginWithTotp);
  }

  private static start(endpoint: string, tenant: string, email: string, pair: AuthPayload): Session {
    const session = new Session(endpoint, { tenant, email, accessToken: pair.accessToken, refreshToken: pair.refreshToken });
    session.save();
    return session;
  }

  static restore(endpoint: string): Session | undefined {
    try {
      const raw = sessionStorage.getItem(STORAGE_KEY);
      return raw ? new Session(endpoint, JSON.parse(raw) as Stored) : undefined;
    } catch {
      return undefined; // storage disabled or garbage: log in again
    }
  }

  /** An access token valid for at least EARLY_REFRESH_MS, refreshing (once, shared) when needed. */
  async token(): Promise<string> {
    if (expiresAt(this.state.accessToken) - Date.now() > EARLY_REFRESH_MS) return this.state.accessToken;
    return this.refresh();
  }

  /** Rotates the token pair (refresh tokens are single-use, so concurrent callers share one call). */
  refresh(): Promise<string> {
    this.refreshing ??= gql<{ refreshToken: AuthPayload }>(this.endpoint, REFRESH, { t: this.state.refreshToken })
      .then(({ refreshToken: r }) => {
        this.state = { ...this.state, accessToken: r.accessToken, refreshToken: r.refreshToken };
        this.save();
        return r.accessToken;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async logout(): Promise<void> {
    const token = this.state.refreshToken;
    Session.forget();
    await gql(this.endpoint, LOGOUT, { t: token }).catch(() => undefined); // signed out locally either way
  }

  static forget(): void {
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      /* memory only */
    }
  }

  private save(): void {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(this.state));
    } catch {
      /* memory only */
    }
  }
}
