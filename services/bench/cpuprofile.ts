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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const { totalMs, functions } = topFunctions(profile, Number(process.argv[3] ?? 15));
  process.stdout.write(`total ${totalMs} ms sampled\n`);
  for (const f of functions) process.stdout.write(`${String(f.share).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.name}  ${f.where}\n`);
}
