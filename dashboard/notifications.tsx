import type { Client } from 'graphql-ws';
import { useEffect, useState } from 'react';
import { subscribe } from './live';
import { NOTIFICATION_RECEIVED, NOTIFICATIONS, type NotificationRow } from './queries';
import type { Session } from './session';
import { useQuery } from './use-query';

const KEEP = 30;

export interface NotificationsProps {
  session: Session;
  client?: Client;
  connection: number;
  /** Called for every live notification (the wallet reloads on them). */
  onLive?: (n: NotificationRow) => void;
}

function when(iso: string): string {
  const d = new Date(iso);
  const today = d.toDateString() === new Date().toDateString();
  return today ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString([], { day: 'numeric', month: 'short' });
}

export function NotificationsPanel({ session, client, connection, onLive }: NotificationsProps): JSX.Element {
  const feed = useQuery<{ notifications: NotificationRow[] }>(session, NOTIFICATIONS, connection);
  const { setData } = feed;
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    if (!client) return undefined;
    return subscribe<{ notificationReceived: NotificationRow }>(client, NOTIFICATION_RECEIVED, ({ notificationReceived: n }) => {
      setData((prev) => ({ notifications: [n, ...(prev?.notifications ?? []).filter((x) => x.id !== n.id)].slice(0, KEEP) }));
      setFresh((s) => new Set(s).add(n.id));
      onLive?.(n);
    });
  }, [client, setData, onLive]);

  const rows = feed.data?.notifications ?? [];
  return (
    <section className="card notifications" aria-labelledby="feed-title">
      <header className="card-head">
        <h2 id="feed-title">Notifications</h2>
      </header>
      {feed.error && (
        <p className="error" role="alert">
          {feed.error}
        </p>
      )}
      {feed.data && rows.length === 0 && <p className="muted">Nothing yet. New ones appear here as they happen.</p>}
      <ol className="feed">
        {rows.map((n) => (
          <li key={n.id} className={`feed-item${fresh.has(n.id) ? ' fresh' : ''}${n.read ? '' : ' unread'}`} data-type={n.type}>
            <div className="feed-top">
              <span className="feed-title">{n.title}</span>
              <time dateTime={n.createdAt} className="muted">
                {when(n.createdAt)}
              </time>
            </div>
            <div className="feed-body">{n.body}</div>
            {n.student && <div className="muted feed-student">{n.student.name}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
