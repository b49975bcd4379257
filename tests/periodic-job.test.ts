import { usePeriodicJob } from '../core/jobs/periodic';
import { createLogger } from '../core/logger';

/** The one periodic-job runner (fee cycle, dues reminders, SaaS billing cycle). */
describe('usePeriodicJob', () => {
  const log = createLogger('test', 'silent');

  it('never overlaps runs, ends a long run early on stop, and stop waits for the run under way', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let sawStop = false;
    const stop = usePeriodicJob({
      name: 'test',
      intervalMs: 5,
      log,
      run: async (stopped) => {
        runs++;
        active++;
        maxActive = Math.max(maxActive, active);
        for (let i = 0; i < 10 && !stopped(); i++) await new Promise((r) => setTimeout(r, 10));
        sawStop = stopped();
        active--;
      },
    });
    await new Promise((r) => setTimeout(r, 250));
    await stop();
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(maxActive).toBe(1);
    expect(active).toBe(0);
    expect(sawStop).toBe(true);
    const after = runs;
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(after);
  });

  it('logs a failed run and keeps going', async () => {
    let runs = 0;
    const stop = usePeriodicJob({
      name: 'failing',
      intervalMs: 5,
      log,
      run: async () => {
        runs++;
        throw new Error('boom');
      },
    });
    await new Promise((r) => setTimeout(r, 60));
    await stop();
    expect(runs).toBeGreaterThan(1);
  });
});
