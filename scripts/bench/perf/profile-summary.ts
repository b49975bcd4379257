import { readFileSync } from 'node:fs';

/**
 * `node dist/scripts/bench/perf/profile-summary.js <file.cpuprofile> [fn,fn…]`: self time
 * by package (node_modules/<pkg>, our own dirs, node internals) and the top functions;
 * with names, also each named function's total time (itself and what it calls).
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function bucket(url: string, fn: string): string {
  if (!url) return fn === '(garbage collector)' || fn === '(idle)' || fn === '(program)' ? fn : '(native)';
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (m) return m[m.length - 1].replace('node_modules/', '');
  if (url.startsWith('node:')) return url.split('/')[0];
  const own = url.match(/dist\/([^/]+)/);
  return own ? `ours:${own[1]}` : url;
}

function main(file: string, names?: string): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const pkg = new Map<string, number>(),
    fns = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    const b = bucket(n.callFrame.url, n.callFrame.functionName);
    pkg.set(b, (pkg.get(b) ?? 0) + dt);
    const f = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
    fns.set(f, (fns.get(f) ?? 0) + dt);
  });
  const top = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, t]) => `  ${((100 * t) / total).toFixed(1).padStart(5)} %  ${name}`)
      .join('\n');
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\nby package:\n${top(pkg, 15)}\ntop functions:\n${top(fns, 15)}`);
  if (names) console.log(`total time (with callees):\n${inclusive(p, names.split(','), total)}`);
}

/** Share of samples with each named function anywhere on the stack (counted once per sample). */
function inclusive(p: Profile, names: string[], total: number): string {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const sums = new Map(names.map((n) => [n, 0]));
  p.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const fn = byId.get(at)!.callFrame.functionName;
      if (sums.has(fn) && !seen.has(fn)) {
        seen.add(fn);
        sums.set(fn, sums.get(fn)! + (p.timeDeltas[i] ?? 0));
      }
    }
  });
  return [...sums].map(([n, t]) => `  ${((100 * t) / total).toFixed(1).padStart(5)} %  ${n}`).join('\n');
}

const [file, names] = process.argv.slice(2);
main(file, names);
