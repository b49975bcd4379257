import type { Client } from 'graphql-ws';
import { useEffect } from 'react';
import { subscribe } from './live';
import { LIBRARIES, OCCUPANCY_CHANGED, type LibraryRow } from './queries';
import type { Session } from './session';
import { useQuery } from './use-query';

/** Bar colour bands: calm, getting full, (nearly) full. */
function level(percent: number): string {
  return percent >= 90 ? 'full' : percent >= 70 ? 'busy' : 'calm';
}

export interface OccupancyProps {
  session: Session;
  client?: Client;
  /** Changes on every (re)connect: reload, since events may have been missed while offline. */
  connection: number;
  /** Called on every live occupancy event (the analytics refresh today's figures on it). */
  onChange?: () => void;
}

export function OccupancyPanel({ session, client, connection, onChange }: OccupancyProps): JSX.Element {
  const libs = useQuery<{ libraries: LibraryRow[] }>(session, LIBRARIES, connection);
  const { setData } = libs;
  useEffect(() => {
    if (!client) return undefined;
    return subscribe<{ occupancyChanged: LibraryRow }>(client, OCCUPANCY_CHANGED, ({ occupancyChanged: lib }) => {
      setData((prev) => {
        const rows = prev?.libraries ?? [];
        const known = rows.some((r) => r.id === lib.id);
        return { libraries: known ? rows.map((r) => (r.id === lib.id ? lib : r)) : [...rows, lib] };
      });
      onChange?.();
    });
  }, [client, setData, onChange]);

  const rows = [...(libs.data?.libraries ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const occupied = rows.reduce((s, r) => s + r.occupancy.occupied, 0);
  const capacity = rows.reduce((s, r) => s + r.capacity, 0);
  return (
    <section className="card occupancy" aria-labelledby="occupancy-title">
      <header className="card-head">
        <h2 id="occupancy-title">Occupancy</h2>
        {libs.data && (
          <span className="muted">
            {occupied} of {capacity} seats in use · {rows.length} {rows.length === 1 ? 'library' : 'libraries'}
          </span>
        )}
      </header>
      {libs.error && (
        <p className="error" role="alert">
          {libs.error}
        </p>
      )}
      {!libs.data && !libs.error && <p className="muted">Loading…</p>}
      {libs.data && rows.length === 0 && <p className="muted">No libraries yet.</p>}
      <ul className="bars">
        {rows.map((lib) => (
          <li key={lib.id} className={`bar-row ${level(lib.occupancy.percent)}`} data-library-id={lib.id} data-occupied={lib.occupancy.occupied}>
            <div className="bar-label">
              <div className="bar-name" title={lib.name}>
                {lib.name}
              </div>
              <div className="muted bar-city">
                {lib.city ?? ''} · {lib.occupancy.free} free
              </div>
            </div>
            <div
              className="bar"
              role="meter"
              aria-label={`${lib.name} occupancy`}
              aria-valuemin={0}
              aria-valuemax={lib.capacity}
              aria-valuenow={lib.occupancy.occupied}
            >
              <div className="bar-fill" style={{ width: `${Math.min(100, lib.occupancy.percent)}%` }} />
            </div>
            <div className="bar-count">
              <strong className="occupied">{lib.occupancy.occupied}</strong> / {lib.capacity}
              <span className="muted"> · {lib.occupancy.percent}%</span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
