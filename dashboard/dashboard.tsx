import type { Client } from 'graphql-ws';
import { useCallback, useEffect, useState, type CSSProperties } from 'react';
import { DASHBOARD_TITLE } from '../gateway/dashboard/config';
import { AnalyticsPanel } from './analytics';
import { FinancePanel } from './finance';
import { createLiveClient, type LiveStatus } from './live';
import { NotificationsPanel } from './notifications';
import { OccupancyPanel } from './occupancy';
import { TENANT, type TenantInfo } from './queries';
import type { Session } from './session';
import { useQuery } from './use-query';
import { WalletPanel } from './wallet';

const STATUS_TEXT: Record<LiveStatus, string> = { connecting: 'Connecting…', live: 'Live', offline: 'Reconnecting…' };

export function Dashboard({ session, onLogout }: { session: Session; onLogout: () => void }): JSX.Element {
  const info = useQuery<TenantInfo>(session, TENANT);
  const [client, setClient] = useState<Client>();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  // Bumped on every (re)connect so panels reload what they may have missed.
  const [connection, setConnection] = useState(0);
  // Bumped to build a new socket after the gateway closed one for an expired token.
  const [generation, setGeneration] = useState(0);
  const [walletTick, setWalletTick] = useState(0);

  useEffect(() => {
    const c = createLiveClient(
      session,
      session.endpoint,
      (s) => {
        setStatus(s);
        if (s === 'live') setConnection((n) => n + 1);
      },
      () => void session.refresh().then(() => setGeneration((g) => g + 1), onLogout),
    );
    setClient(c);
    return () => void c.dispose();
  }, [session, generation, onLogout]);

  const onLive = useCallback(() => setWalletTick((t) => t + 1), []);
  // Check-ins and check-outs move today's analytics; reconnects reload them too.
  const [occupancyTick, setOccupancyTick] = useState(0);
  const onOccupancy = useCallback(() => setOccupancyTick((t) => t + 1), []);
  const tenant = info.data?.tenant;
  // A custom property set through the CSSOM: allowed by style-src 'self' (no inline style attribute).
  const brand = { '--brand': tenant?.branding.primaryColor ?? '#1f4e79' } as CSSProperties;

  return (
    <div className="dash" style={brand}>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            {(tenant?.branding.displayName ?? tenant?.name ?? session.tenant).slice(0, 1).toUpperCase()}
          </span>
          <div>
            <div className="brand-name">{tenant?.branding.displayName ?? tenant?.name ?? session.tenant}</div>
            <div className="brand-sub">{DASHBOARD_TITLE}</div>
          </div>
        </div>
        <span className={`status ${status}`} data-status={status}>
          {STATUS_TEXT[status]}
        </span>
        <div className="who">
          <span>{info.data?.me.user?.name ?? session.email}</span>
          <button type="button" className="link" onClick={onLogout}>
            Sign out
          </button>
        </div>
      </header>
      <main className="grid">
        <OccupancyPanel session={session} client={client} connection={connection} onChange={onOccupancy} />
        <div className="side">
          <WalletPanel session={session} tick={walletTick} />
          <NotificationsPanel session={session} client={client} connection={connection} onLive={onLive} />
        </div>
        <AnalyticsPanel session={session} tick={connection + occupancyTick} />
        <FinancePanel session={session} tick={connection + walletTick} />
      </main>
    </div>
  );
}
