import { useMemo } from 'react';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { ChartCanvas, SERIES_COLOURS } from './chart';
import { FINANCE, type CollectionsPoint, type RevenuePoint, type SpendPoint } from './queries';
import type { Session } from './session';
import { useQuery, type Loaded } from './use-query';

const MONTHS = 12;
const METHOD_LABEL: Record<string, string> = { CASH: 'Cash', UPI: 'UPI', CARD: 'Card', BANK_TRANSFER: 'Bank transfer', ONLINE: 'Online' };
const CHANNEL_LABEL: Record<string, string> = { SMS: 'SMS', WHATSAPP: 'WhatsApp', EMAIL: 'Email' };

/** The last `MONTHS` months (Asia/Kolkata), oldest first. */
function monthRange(now = new Date()): string[] {
  const ist = new Date(now.getTime() + 330 * 60_000);
  const y = ist.getUTCFullYear();
  const m = ist.getUTCMonth();
  return Array.from({ length: MONTHS }, (_, i) => {
    const d = new Date(Date.UTC(y, m - (MONTHS - 1 - i), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

const rupees = (paise: number) => paise / 100;
const inr = (paise: number) => `₹${rupees(paise).toLocaleString('en-IN', { maximumFractionDigits: 0 })}`;

function BarChart({
  title,
  labels,
  datasets,
  stacked = false,
  money = true,
}: {
  title: string;
  labels: string[];
  datasets: ChartDataset<'bar'>[];
  stacked?: boolean;
  money?: boolean;
}): JSX.Element {
  const config = useMemo<ChartConfiguration<'bar'>>(
    () => ({
      type: 'bar',
      data: { labels, datasets },
      options: {
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: { label: (c) => `${c.dataset.label}: ${money ? `₹${Number(c.raw).toLocaleString('en-IN')}` : Number(c.raw).toLocaleString('en-IN')}` },
          },
        },
        scales: { x: { stacked }, y: { stacked, beginAtZero: true } },
      },
    }),
    [labels, datasets, stacked, money],
  );
  return <ChartCanvas config={config} label={title} />;
}

function Panel<T>({ id, title, loaded, children }: { id: string; title: string; loaded: Loaded<T>; children: (data: T) => JSX.Element }): JSX.Element {
  return (
    <section className="card finance" aria-labelledby={`${id}-title`} data-panel={id}>
      <header className="card-head">
        <h2 id={`${id}-title`}>{title}</h2>
      </header>
      {loaded.error && (
        <p className="error" role="alert">
          {loaded.error}
        </p>
      )}
      {loaded.data && children(loaded.data)}
    </section>
  );
}

const colour = (i: number) => SERIES_COLOURS[i % SERIES_COLOURS.length]!;

/** Groups rows into one dataset per series, aligned on `labels`. */
function series<R>(rows: R[], labels: string[], at: (r: R) => string, name: (r: R) => string, value: (r: R) => number): ChartDataset<'bar'>[] {
  const by = new Map<string, number[]>();
  for (const r of rows) {
    const values =
      by.get(name(r)) ??
      by
        .set(
          name(r),
          labels.map(() => 0),
        )
        .get(name(r))!;
    const i = labels.indexOf(at(r));
    if (i >= 0) values[i]! += value(r);
  }
  return [...by.entries()].map(([label, data], i) => ({ label, data, backgroundColor: colour(i) }));
}

/**
 * Finance views (#18 item 2): collections against dues, revenue by payment method
 * and fee plan, and messaging spend by channel, for the last twelve months. Each
 * chart loads on its own, so a role that may not see one still sees the others.
 * `tick` reloads them: the dashboard bumps it on each live notification (a payment
 * receipt or any message sent changes these figures).
 */
export function FinancePanel({ session, tick }: { session: Session; tick: number }): JSX.Element {
  const months = useMemo(() => monthRange(), []);
  const range = useMemo(() => ({ from: months[0]!, to: months[months.length - 1]! }), [months]);
  const collections = useQuery<{ collectionsReport: CollectionsPoint[] }>(session, FINANCE.collections, tick, range);
  const byMethod = useQuery<{ revenueBreakdown: RevenuePoint[] }>(session, FINANCE.revenueByMethod, tick, range);
  const byPlan = useQuery<{ revenueBreakdown: RevenuePoint[] }>(session, FINANCE.revenueByPlan, tick, range);
  const spend = useQuery<{ messagingSpend: SpendPoint[] }>(session, FINANCE.spend, tick, range);

  const collectionSets = useMemo<ChartDataset<'bar'>[]>(() => {
    const rows = collections.data?.collectionsReport ?? [];
    const pick = (f: (r: CollectionsPoint) => number) => months.map((m) => rupees(rows.filter((r) => r.month === m).reduce((n, r) => n + f(r), 0)));
    return [
      { label: 'Billed (dues)', data: pick((r) => r.billed), backgroundColor: colour(0) },
      { label: 'Collected', data: pick((r) => r.collected), backgroundColor: colour(1) },
      { label: 'Outstanding at month end', data: pick((r) => r.outstanding), backgroundColor: colour(3) },
    ];
  }, [collections.data, months]);
  const methodSets = useMemo(
    () =>
      series(
        byMethod.data?.revenueBreakdown ?? [],
        months,
        (r) => r.month ?? '',
        (r) => METHOD_LABEL[r.method ?? ''] ?? 'Other',
        (r) => rupees(r.net),
      ),
    [byMethod.data, months],
  );
  const planRows = useMemo(() => byPlan.data?.revenueBreakdown ?? [], [byPlan.data]);
  const planLabels = useMemo(() => planRows.map((r) => r.planName ?? 'No plan'), [planRows]);
  const planSets = useMemo<ChartDataset<'bar'>[]>(
    () => [{ label: 'Net received', data: planRows.map((r) => rupees(r.net)), backgroundColor: colour(0) }],
    [planRows],
  );
  const spendSets = useMemo(
    () =>
      series(
        spend.data?.messagingSpend ?? [],
        months,
        (r) => r.period,
        (r) => CHANNEL_LABEL[r.channel] ?? r.channel,
        (r) => r.creditsSpent,
      ),
    [spend.data, months],
  );
  const latest = collections.data?.collectionsReport.find((r) => r.month === months[months.length - 1]);

  return (
    <div className="finance-grid">
      <Panel id="collections" title="Collections against dues" loaded={collections}>
        {() => (
          <>
            {latest && (
              <p className="finance-summary" data-testid="collection-rate">
                This month: {inr(latest.collected)} collected of {inr(latest.billed)} billed
                {latest.collectionRate !== null ? ` (${Math.round(latest.collectionRate * 100)} %)` : ''}, {inr(latest.outstanding)} outstanding.
              </p>
            )}
            <BarChart title="Billed, collected and outstanding per month" labels={months} datasets={collectionSets} />
          </>
        )}
      </Panel>
      <Panel id="revenue-method" title="Revenue by payment method" loaded={byMethod}>
        {() => <BarChart title="Net revenue per month by payment method" labels={months} datasets={methodSets} stacked />}
      </Panel>
      <Panel id="revenue-plan" title="Revenue by fee plan" loaded={byPlan}>
        {() => <BarChart title="Net revenue by fee plan over twelve months" labels={planLabels} datasets={planSets} />}
      </Panel>
      <Panel id="messaging-spend" title="Messaging spend by channel" loaded={spend}>
        {() => <BarChart title="Credits spent per month by channel" labels={months} datasets={spendSets} stacked money={false} />}
      </Panel>
    </div>
  );
}
