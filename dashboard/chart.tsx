import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'react';

// Only the pieces the dashboard draws (bars and lines on category/linear axes): esbuild drops the rest of chart.js.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

/** The brand colour and its companions, readable on white. */
export const SERIES_COLOURS = ['#1f4e79', '#e07a1f', '#2e8b57', '#8e44ad'];

/**
 * One chart.js chart on a canvas. The chart is made once and updated in place when
 * the data changes (live refreshes keep the canvas). No animation: figures appear at
 * once, and screenshots show them. `label` names the canvas for screen readers; the
 * panels also print the numbers as text.
 */
export function ChartCanvas({ config, label }: { config: ChartConfiguration<'bar'> | ChartConfiguration<'line'>; label: string }): JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart>();
  useEffect(() => {
    if (!canvas.current) return undefined;
    const options = { animation: false, responsive: true, maintainAspectRatio: false, ...config.options };
    const c = new Chart(canvas.current, { ...config, options } as ChartConfiguration);
    chart.current = c;
    return () => {
      c.destroy();
      chart.current = undefined;
    };
    // Made once per mount; data changes go through update() below.
  }, []);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data = config.data as Chart['data'];
    c.update();
  }, [config.data]);
  return (
    <div className="chart-box">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
