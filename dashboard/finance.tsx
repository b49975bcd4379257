import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { ChartCanvas, SERIES_COLOURS } from './chart';

/**
 * The money views (issue 18): collections against dues per month, revenue by fee plan
 * and by payment method, messaging spend by channel. Fed by the billing, credits and
 * messaging analytics queries; the dashboard mounts it once those queries exist, with
 * the panel's own query beside it (panels load separately, so a role without money
 * permissions still sees the rest). Amounts are integer paise.
 */
export interface FinanceData {
  collectionsVsDues: { month: string; collectedPaise: number; duePaise: number }[];
  revenueByPlan: { label: string; amountPaise: number }[];
  revenueByMethod: { label: string; amountPaise: number }[];
  messagingSpend: { channel: string; credits: number; costPaise: number }[];
}

const inr = (paise: number) => `₹${(paise / 100).toLocaleString('en-IN', { maximumFractionDigits: 0 })}`;
const rupees = (paise: number) => Math.round(paise / 100);

function bar(labels: string[], datasets: { label: string; data: number[] }[]): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: { labels, datasets: datasets.map((d, i) => ({ ...d, backgroundColor: SERIES_COLOURS[i % SERIES_COLOURS.length] })) },
    options: { scales: { y: { beginAtZero: true } } },
  };
}

export function FinancePanel({ data }: { data: FinanceData }): JSX.Element {
  const key = JSON.stringify(data);
  const collections = useMemo(
    () =>
      bar(
        data.collectionsVsDues.map((r) => r.month),
        [
          { label: 'Collected (₹)', data: data.collectionsVsDues.map((r) => rupees(r.collectedPaise)) },
          { label: 'Due (₹)', data: data.collectionsVsDues.map((r) => rupees(r.duePaise)) },
        ],
      ),
    [key],
  );
  const byPlan = useMemo(
    () =>
      bar(
        data.revenueByPlan.map((r) => r.label),
        [{ label: 'Revenue by plan (₹)', data: data.revenueByPlan.map((r) => rupees(r.amountPaise)) }],
      ),
    [key],
  );
  const byMethod = useMemo(
    () =>
      bar(
        data.revenueByMethod.map((r) => r.label),
        [{ label: 'Revenue by method (₹)', data: data.revenueByMethod.map((r) => rupees(r.amountPaise)) }],
      ),
    [key],
  );
  const spend = useMemo(
    () =>
      bar(
        data.messagingSpend.map((r) => r.channel),
        [{ label: 'Messaging spend (₹)', data: data.messagingSpend.map((r) => rupees(r.costPaise)) }],
      ),
    [key],
  );
  const collected = data.collectionsVsDues.reduce((s, r) => s + r.collectedPaise, 0);
  const due = data.collectionsVsDues.reduce((s, r) => s + r.duePaise, 0);
  return (
    <section className="card finance" aria-labelledby="finance-title">
      <header className="card-head">
        <h2 id="finance-title">Money</h2>
      </header>
      <div className="charts">
        <figure className="chart" data-chart="collections">
          <ChartCanvas config={collections} label="Collections against dues per month" />
          <figcaption>
            collected <strong data-value="collected">{inr(collected)}</strong> of <strong data-value="due">{inr(due)}</strong> due
          </figcaption>
        </figure>
        <figure className="chart" data-chart="revenue-plan">
          <ChartCanvas config={byPlan} label="Revenue by fee plan" />
          <figcaption>{data.revenueByPlan.map((r) => `${r.label} ${inr(r.amountPaise)}`).join(' · ')}</figcaption>
        </figure>
        <figure className="chart" data-chart="revenue-method">
          <ChartCanvas config={byMethod} label="Revenue by payment method" />
          <figcaption>{data.revenueByMethod.map((r) => `${r.label} ${inr(r.amountPaise)}`).join(' · ')}</figcaption>
        </figure>
        <figure className="chart" data-chart="messaging-spend">
          <ChartCanvas config={spend} label="Messaging spend by channel" />
          <figcaption>
            {data.messagingSpend.map((r) => `${r.channel} ${r.credits.toLocaleString('en-IN')} credits, ${inr(r.costPaise)}`).join(' · ')}
          </figcaption>
        </figure>
      </div>
    </section>
  );
}
