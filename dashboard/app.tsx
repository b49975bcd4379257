import { useCallback, useState } from 'react';
import type { DashboardPageConfig } from '../gateway/dashboard/config';
import { Dashboard } from './dashboard';
import { Login } from './login';
import { Session } from './session';

export function App({ config }: { config: DashboardPageConfig }): JSX.Element {
  const [session, setSession] = useState<Session | undefined>(() => Session.restore(config.endpoint));
  const logout = useCallback(() => {
    void session?.logout();
    setSession(undefined);
  }, [session]);
  if (!session) return <Login endpoint={config.endpoint} onLogin={setSession} />;
  return <Dashboard session={session} onLogout={logout} />;
}
