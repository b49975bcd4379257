import type { Summary } from './load';

const f0 = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : '-');
const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

/** Plain-text table: columns padded to their widest cell. */
export function table(title: string, head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  return [`\n${title}`, line(head), '|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|', ...cells.slice(1).map(line)].join('\n');
}

/** "median (min–max)" of requests/s. */
export const rps = (s: Summary) => `${f0(s.rps.median)} (${f0(s.rps.min)}–${f0(s.rps.max)})`;
/** "median (min–max)" of the per-round p95, in ms. */
export const p95 = (s: Summary) => `${f1(s.p95.median)} (${f1(s.p95.min)}–${f1(s.p95.max)})`;
export const p50 = (s: Summary) => f1(s.p50);
export const errs = (s: Summary) => (s.errors ? `${s.errors} ✗ ${s.firstError?.slice(0, 60) ?? ''}` : '0');
export const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '-');
export const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)}`;

export interface Series {
  label: string;
  color: string;
  points: [number, number][];
}

/** One log-x line panel of an SVG chart. */
function panel(x0: number, title: string, xLabel: string, series: Series[]): string {
  const W = 360,
    H = 220,
    L = 50,
    B = 40,
    T = 30;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const [xmin, xmax] = [Math.log10(Math.min(...xs)), Math.log10(Math.max(...xs))];
  const ymax = Math.max(...ys) * 1.15 || 1;
  const px = (x: number) => x0 + L + ((Math.log10(x) - xmin) / (xmax - xmin || 1)) * (W - L - 20);
  const py = (y: number) => T + (1 - y / ymax) * (H - T - B);
  const out = [
    `<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${title}</text>`,
    `<line x1="${x0 + L}" y1="${py(0)}" x2="${x0 + W - 10}" y2="${py(0)}" stroke="#333"/>`,
    `<line x1="${x0 + L}" y1="${T}" x2="${x0 + L}" y2="${py(0)}" stroke="#333"/>`,
    `<text x="${x0 + W / 2}" y="${H - 5}" text-anchor="middle">${xLabel} (log scale)</text>`,
    `<text x="${x0 + 12}" y="${T + (H - T - B) / 2}" transform="rotate(-90 ${x0 + 12} ${T + (H - T - B) / 2})" text-anchor="middle">p95 ms</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = (ymax / 4) * i;
    out.push(`<text x="${x0 + L - 4}" y="${py(y) + 4}" text-anchor="end" font-size="10">${y.toFixed(0)}</text>`);
  }
  for (const x of [...new Set(xs)]) out.push(`<text x="${px(x)}" y="${py(0) + 14}" text-anchor="middle" font-size="10">${x}</text>`);
  series.forEach((s, i) => {
    const pts = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`);
    s.points.forEach(([x, y]) => out.push(`<circle cx="${px(x)}" cy="${py(y)}" r="3" fill="${s.color}"/>`));
    out.push(`<text x="${x0 + L + 10}" y="${T + 12 + i * 14}" fill="${s.color}" font-size="11">${s.label}</text>`);
  });
  return out.join('\n');
}

/** Two panels side by side: p95 against list size (W2) and against tenant count (W4). */
export function chartSvg(list: Series[], tenants: Series[], caption: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="740" height="250" font-family="sans-serif" font-size="12">
<rect width="740" height="250" fill="white"/>
${panel(0, 'W2: p95 vs students per request', 'students', list)}
${panel(370, 'W4: p95 vs provisioned tenants', 'tenants', tenants)}
<text x="370" y="246" text-anchor="middle" font-size="9" fill="#666">${caption}</text>
</svg>\n`;
}
