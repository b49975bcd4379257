import { useEffect, useMemo, useState } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { ChartCanvas, SERIES_COLOURS } from './chart';
import { ANALYTICS, STUDENT_TIMEZONE, type AnalyticsData } from './queries';
import type { Session } from './session';
import { useQuery } from './use-query';

const DAYS = 30;
const COHORTS = 6;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** Live check-ins refresh today's figures, at most this often. */
const REFRESH_MS = 3_000;

const pad = (n: number) => String(n).padStart(2, '0');
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const percent = (rate: number) => `${Math.round(rate * 100)}%`;
/** Calendar arithmetic on 'YYYY-MM-DD' strings (UTC dates: no local time zone involved). */
const shiftDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const shiftMonth = (day: string, n: number) => {
  const d = new Date(Date.parse(`${day.slice(0, 7)}-01T00:00:00Z`));
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 7);
};

/** The last 30 days and 6 cohorts, in the tenant's calendar (its time zone, not the browser's). */
function ranges(timezone: string) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return { from: shiftDay(today, -(DAYS - 1)), to: today, cohortFrom: shiftMonth(today, -COHORTS), cohortTo: shiftMonth(today, -1) };
}

/** Heat-map shade 0..4 of a value against the busiest cell. */
const shade = (n: number, max: number) => (n <= 0 || max <= 0 ? 0 : Math.min(4, Math.ceil((n / max) * 4)));

export interface AnalyticsProps {
  session: Session;
  /** Changes on every (re)connect and, throttled, on live occupancy events: today's figures move with check-ins. */
  tick: number;
}

/**
 * Student analytics: when the libraries are busy (check-ins by hour and weekday, and
 * a weekday × hour heat map table), active and new students per day, and how many of
 * each month's new students came back 1, 2 and 3 months later.
 */
export function AnalyticsPanel({ session, tick }: AnalyticsProps): JSX.Element {
  const settings = useQuery<{ studentSettings: { timezone: string } }>(session, STUDENT_TIMEZONE);
  const timezone = settings.data?.studentSettings.timezone;
  if (!timezone) return <AnalyticsCard error={settings.error} />;
  return <AnalyticsCharts session={session} tick={tick} timezone={timezone} />;
}

function AnalyticsCard({ error, data, children }: { error?: string; data?: AnalyticsData; children?: JSX.Element }): JSX.Element {
  return (
    <section className="card analytics" aria-labelledby="analytics-title">
      <header className="card-head">
        <h2 id="analytics-title">Students and visits</h2>
        {data && (
          <span className="muted">
            last {DAYS} days · {data.occupancyHeatmap.timezone}
          </span>
        )}
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="muted">Loading…</p>}
      {children}
    </section>
  );
}

function AnalyticsCharts({ session, tick, timezone }: AnalyticsProps & { timezone: string }): JSX.Element {
  const [key, setKey] = useState(0);
  // Recomputed on each reload, so a page left open past midnight moves to the new day.
  const vars = useMemo(() => ranges(timezone), [timezone, key]);
  // Throttle: a burst of check-ins is one reload.
  useEffect(() => {
    const timer = setTimeout(() => setKey(tick), key === 0 ? 0 : REFRESH_MS);
    return () => clearTimeout(timer);
  }, [tick, key]);
  const q = useQuery<AnalyticsData>(session, ANALYTICS, key, vars);
  const d = q.data;
  return (
    <AnalyticsCard error={q.error} data={d}>
      {d && (
        <div className="charts">
          <HourCharts heat={d.occupancyHeatmap} />
          <ActivityChart rows={d.studentActivity} />
          <RetentionChart cohorts={d.studentRetention} />
          <HeatTable heat={d.occupancyHeatmap} />
        </div>
      )}
    </AnalyticsCard>
  );
}

function HourCharts({ heat }: { heat: AnalyticsData['occupancyHeatmap'] }): JSX.Element {
  const byHour = Array.from({ length: 24 }, (_, h) => sum(heat.checkInsByHour.map((row) => row[h] ?? 0)));
  const byWeekday = heat.checkInsByHour.map(sum);
  const peak = byHour.indexOf(Math.max(...byHour));
  const hourConfig = useMemo<ChartConfiguration<'bar'>>(
    () => ({
      type: 'bar',
      data: { labels: byHour.map((_, h) => pad(h)), datasets: [{ label: 'Check-ins by hour', data: byHour, backgroundColor: SERIES_COLOURS[0] }] },
      options: { plugins: { legend: { display: true } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
    [byHour.join()],
  );
  const weekdayConfig = useMemo<ChartConfiguration<'bar'>>(
    () => ({
      type: 'bar',
      data: { labels: WEEKDAYS, datasets: [{ label: 'Check-ins by weekday', data: byWeekday, backgroundColor: SERIES_COLOURS[1] }] },
      options: { plugins: { legend: { display: true } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
    [byWeekday.join()],
  );
  return (
    <>
      <figure className="chart" data-chart="hours">
        <ChartCanvas config={hourConfig} label="Check-ins by hour of day" />
        <figcaption>
          <strong data-value="check-ins">{heat.checkIns.toLocaleString('en-IN')}</strong> check-ins
          {heat.checkIns > 0 && (
            <>
              {' '}
              · busiest hour <strong data-value="peak-hour">{pad(peak)}:00</strong>
            </>
          )}
        </figcaption>
      </figure>
      <figure className="chart" data-chart="weekdays">
        <ChartCanvas config={weekdayConfig} label="Check-ins by weekday" />
        <figcaption>{WEEKDAYS.map((w, i) => `${w} ${byWeekday[i]}`).join(' · ')}</figcaption>
      </figure>
    </>
  );
}

function ActivityChart({ rows }: { rows: AnalyticsData['studentActivity'] }): JSX.Element {
  const active = rows.map((r) => r.activeStudents);
  const joined = rows.map((r) => r.newStudents);
  const today = rows[rows.length - 1];
  const config = useMemo<ChartConfiguration<'line'>>(
    () => ({
      type: 'line',
      data: {
        labels: rows.map((r) => r.period.slice(5)),
        datasets: [
          { label: 'Active students', data: active, borderColor: SERIES_COLOURS[0], backgroundColor: SERIES_COLOURS[0], tension: 0.2 },
          { label: 'New students', data: joined, borderColor: SERIES_COLOURS[2], backgroundColor: SERIES_COLOURS[2], tension: 0.2 },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    }),
    [rows.map((r) => `${r.period}:${r.activeStudents}:${r.newStudents}`).join()],
  );
  return (
    <figure className="chart" data-chart="activity">
      <ChartCanvas config={config} label="Active and new students per day" />
      <figcaption>
        today <strong data-value="active-today">{today?.activeStudents ?? 0}</strong> active, <strong data-value="new-today">{today?.newStudents ?? 0}</strong>{' '}
        new · {sum(joined)} new in {rows.length} days
      </figcaption>
    </figure>
  );
}

function RetentionChart({ cohorts }: { cohorts: AnalyticsData['studentRetention'] }): JSX.Element {
  const config = useMemo<ChartConfiguration<'bar'>>(
    () => ({
      type: 'bar',
      data: {
        labels: cohorts.map((c) => c.month),
        datasets: [1, 2, 3].map((k) => ({
          label: `After ${k} month${k > 1 ? 's' : ''}`,
          data: cohorts.map((c) => Math.round((c.retained.find((r) => r.monthsLater === k)?.rate ?? 0) * 100)),
          backgroundColor: SERIES_COLOURS[k - 1],
        })),
      },
      options: { scales: { y: { beginAtZero: true, max: 100, ticks: { callback: (v) => `${v}%` } } } },
    }),
    [JSON.stringify(cohorts)],
  );
  return (
    <figure className="chart" data-chart="retention">
      <ChartCanvas config={config} label="Retention of monthly cohorts after 1, 2 and 3 months" />
      <table className="data">
        <caption>Retention by month joined</caption>
        <thead>
          <tr>
            <th scope="col">Joined</th>
            <th scope="col">Students</th>
            <th scope="col">+1 month</th>
            <th scope="col">+2</th>
            <th scope="col">+3</th>
          </tr>
        </thead>
        <tbody>
          {cohorts.map((c) => (
            <tr key={c.month} data-cohort={c.month}>
              <th scope="row">{c.month}</th>
              <td>{c.joined}</td>
              {[1, 2, 3].map((k) => {
                const r = c.retained.find((x) => x.monthsLater === k);
                return <td key={k}>{r ? `${r.active} (${percent(r.rate)})` : '–'}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** The weekday × hour heat map as a table: shaded cells, and the numbers for screen readers and tests. */
function HeatTable({ heat }: { heat: AnalyticsData['occupancyHeatmap'] }): JSX.Element {
  const max = Math.max(...heat.averagePresentByHour.flat());
  const hours = Array.from({ length: 24 }, (_, h) => h);
  return (
    <figure className="chart heat" data-chart="heatmap">
      <table className="heatmap">
        <caption>Students present on average, by weekday and hour</caption>
        <thead>
          <tr>
            <th scope="col" />
            {hours.map((h) => (
              <th key={h} scope="col">
                {h % 3 === 0 ? pad(h) : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {heat.averagePresentByHour.map((row, w) => (
            <tr key={WEEKDAYS[w]}>
              <th scope="row">{WEEKDAYS[w]}</th>
              {row.map((v, h) => (
                <td key={h} className={`shade-${shade(v, max)}`} title={`${WEEKDAYS[w]} ${pad(h)}:00 · ${v} present · ${heat.checkInsByHour[w]![h]} check-ins`}>
                  <span className="sr-only">{v}</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
