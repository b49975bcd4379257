import { useEffect } from 'react';
import { WALLET, type WalletInfo } from './queries';
import type { Session } from './session';
import { useQuery } from './use-query';

/** Balances change on every message sent; there is no wallet subscription, so poll gently and reload on notifications. */
const POLL_MS = 60_000;
const CHANNELS = [
  ['sms', 'SMS'],
  ['whatsapp', 'WhatsApp'],
  ['email', 'Email'],
] as const;

export function WalletPanel({ session, tick }: { session: Session; tick: number }): JSX.Element {
  const wallet = useQuery<{ wallet: WalletInfo }>(session, WALLET, tick);
  const { reload } = wallet;
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const w = wallet.data?.wallet;
  return (
    <section className="card wallet" aria-labelledby="wallet-title">
      <header className="card-head">
        <h2 id="wallet-title">Message credits</h2>
      </header>
      {wallet.error && (
        <p className="error" role="alert">
          {wallet.error}
        </p>
      )}
      {w && (
        <div className="tiles">
          {CHANNELS.map(([key, label]) => {
            const note = w[key] === 0 ? 'empty' : w[key] <= w.thresholds[key] ? 'low' : '';
            return (
              <div key={key} className={`tile${note ? ` ${note}` : ''}`} data-channel={key}>
                <div className="tile-label">{label}</div>
                <div className="tile-value">{w[key].toLocaleString('en-IN')}</div>
                <div className="tile-note">{note === 'low' ? `below ${w.thresholds[key]}` : note || 'credits'}</div>
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
