// Top functions by self time of a V8 .cpuprofile (`node --cpu-prof`), for
// docs/benchmarks.md's "where the time goes".
//   node --import tsx services/bench/cpuprofile.ts FILE.cpuprofile [TOP]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface HotFunction {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export function topFunctions(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 15): { totalMs: number; functions: HotFunction[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const n = byId.get(id);
    if (!n) return;
    const f = n.callFrame;
    const where = f.url ? `${f.url.replace(/^.*\/(node_modules|services)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName}@${where}`;
    const e = self.get(key) ?? { name: f.functionName || '(anonymous)', where, us: 0 };
    e.us += us;
    self.set(key, e);
  });
  const functions = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((e) => ({ name: e.name, where: e.where, selfMs: Math.round(e.us / 1000), share: Math.round((e.us / Math.max(1, total)) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), functions };
}

/** Self time by where the code lives: a package, services/<pkg>, node internals, or V8 (idle, GC, program). */
export function byArea(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }): Array<{ area: string; selfMs: number; share: number }> {
  const { totalMs, functions } = topFunctions(profile, Number.MAX_SAFE_INTEGER);
  const areas = new Map<string, number>();
  for (const f of functions) {
    const w = f.where;
    const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(w) ?? /^(services\/[^/]+)/.exec(w);
    const area = m ? m[1] : w.startsWith('node:') ? `node:${w.slice(5).split('/').slice(0, 2).join('/').split(':')[0]}` : w === '' ? (f.name.startsWith('(') ? f.name : 'native') : 'other';
    areas.set(area, (areas.get(area) ?? 0) + f.selfMs);
  }
  return [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, selfMs]) => ({ area, selfMs, share: Math.round((selfMs / Math.max(1, totalMs)) * 1000) / 10 }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const { totalMs, functions } = topFunctions(profile, Number(process.argv[3] ?? 15));
  process.stdout.write(`total ${totalMs} ms sampled\n`);
  for (const f of functions) process.stdout.write(`${String(f.share).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.name}  ${f.where}\n`);
  process.stdout.write('by area\n');
  for (const a of byArea(profile).slice(0, 15)) process.stdout.write(`${String(a.share).padStart(5)}%  ${String(a.selfMs).padStart(6)} ms  ${a.area}\n`);
}
