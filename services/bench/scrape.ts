// Reads the few series the benchmark needs from every node's /metrics, and
// sums their deltas. Process series are per OS process, so they are counted
// once per process however many nodes share it.

export interface NodeTarget {
  id: string;
  role: string;
  pid: number;
  http: string;
}

export interface NodeSample {
  id: string;
  role: string;
  pid: number;
  querySent: number;
  queryForwarded: number;
  queriesHandled: number;
  searches: number;
  cpuSeconds: number;
  rssBytes: number;
  allSent: number;
  hitSent: number;
}

const SCRAPE_TIMEOUT_MS = 5_000;

/** Sum of the samples of `name` whose labels include every given label. */
export function sumSeries(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ')) continue;
    const close = line.lastIndexOf('}');
    const labelText = close > 0 ? line.slice(name.length + 1, close) : '';
    if (!Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) continue;
    const value = Number(line.slice((close > 0 ? close : name.length) + 1).trim().split(' ')[0]);
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

export async function scrapeNode(n: NodeTarget): Promise<NodeSample> {
  const res = await fetch(`http://${n.http}/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
  const text = await res.text();
  return {
    id: n.id,
    role: n.role,
    pid: n.pid,
    querySent: sumSeries(text, 'superpeer_descriptors_sent_total', { type: 'query' }),
    queryForwarded: sumSeries(text, 'superpeer_descriptors_total', { type: 'query', fate: 'forwarded' }),
    queriesHandled: sumSeries(text, 'superpeer_queries_handled_total'),
    searches: sumSeries(text, 'superpeer_searches_total'),
    cpuSeconds: sumSeries(text, 'superpeer_process_cpu_seconds_total'),
    rssBytes: sumSeries(text, 'superpeer_process_resident_memory_bytes'),
    allSent: sumSeries(text, 'superpeer_descriptors_sent_total'),
    hitSent: sumSeries(text, 'superpeer_descriptors_sent_total', { type: 'query_hit' }),
  };
}

export async function scrapeAll(nodes: NodeTarget[]): Promise<NodeSample[]> {
  const out = await Promise.allSettled(nodes.map((n) => scrapeNode(n)));
  return out.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

export interface Delta {
  querySent: number;
  hitSent: number;
  queryForwarded: number;
  queriesHandled: number;
  /** Over processes, each counted once. */
  cpuSeconds: number;
  nodesScraped: number;
  /** Descriptors (all types) sent by supernodes in processes that host only supernodes, and those processes' CPU. */
  supernodeOnlySent: number;
  supernodeOnlyCpuSeconds: number;
}

export function delta(before: NodeSample[], after: NodeSample[]): Delta {
  const b = new Map(before.map((s) => [s.id, s]));
  const d: Delta = { querySent: 0, hitSent: 0, queryForwarded: 0, queriesHandled: 0, cpuSeconds: 0, nodesScraped: 0, supernodeOnlySent: 0, supernodeOnlyCpuSeconds: 0 };
  const cpuByPid = new Map<number, number>();
  const sentByPid = new Map<number, number>();
  const leafPids = new Set(after.filter((a) => a.role !== 'supernode').map((a) => a.pid));
  for (const a of after) {
    const x = b.get(a.id);
    if (!x) continue;
    d.nodesScraped++;
    d.querySent += a.querySent - x.querySent;
    d.hitSent += a.hitSent - x.hitSent;
    d.queryForwarded += a.queryForwarded - x.queryForwarded;
    d.queriesHandled += a.queriesHandled - x.queriesHandled;
    cpuByPid.set(a.pid, a.cpuSeconds - x.cpuSeconds);
    sentByPid.set(a.pid, (sentByPid.get(a.pid) ?? 0) + a.allSent - x.allSent);
  }
  for (const [pid, v] of cpuByPid) {
    d.cpuSeconds += v;
    if (leafPids.has(pid)) continue;
    d.supernodeOnlyCpuSeconds += v;
    d.supernodeOnlySent += sentByPid.get(pid) ?? 0;
  }
  return d;
}
