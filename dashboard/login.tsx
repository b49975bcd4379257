import { useState, type FormEvent } from 'react';
import { DASHBOARD_TITLE } from '../gateway/dashboard/config';
import { Session } from './session';

export function Login({ endpoint, onLogin }: { endpoint: string; onLogin: (s: Session) => void }): JSX.Element {
  // ?tenant=<slug> pre-fills the tenant (a link a tenant can bookmark); never credentials in the URL.
  const [tenant, setTenant] = useState(() => new URLSearchParams(location.search).get('tenant') ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // Set when the password was right and the account has TOTP: the form asks for the code next.
  const [mfaToken, setMfaToken] = useState<string>();
  const [code, setCode] = useState('');

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const step = mfaToken
      ? Session.loginWithTotp(endpoint, tenant.trim(), email.trim(), mfaToken, code.trim())
      : Session.login(endpoint, tenant.trim(), email.trim(), password);
    step
      .then((r) => {
        if (r instanceof Session) return onLogin(r);
        setMfaToken(r.mfaToken);
        setBusy(false);
      })
      .catch((err: Error) => {
        setError(err.message);
        setBusy(false);
      });
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{DASHBOARD_TITLE}</h1>
        <p className="muted">Sign in with your library staff account.</p>
        <label>
          Tenant
          <input name="tenant" value={tenant} onChange={(e) => setTenant(e.target.value)} placeholder="your-centre" autoComplete="organization" required />
        </label>
        <label>
          Email
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
            disabled={Boolean(mfaToken)}
          />
        </label>
        {mfaToken && (
          <label>
            Authenticator code
            <input
              name="code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="one-time-code"
              inputMode="text"
              placeholder="123456 or a recovery code"
              required
              autoFocus
            />
          </label>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
