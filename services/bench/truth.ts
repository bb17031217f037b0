// Ground truth of a search on a live cluster: what it could have found.
// From the cluster's real files and the topology its nodes report, a search
// started at a leaf with TTL t reaches the supernodes within t-1 links of the
// leaf's uplinks (the uplink handles it at TTL t-1), and finds every file of
// the owners those supernodes index whose name holds every query term.
import { tokenize, uniqueTokens } from '../core/keywords.js';

export interface TopologyNode {
  id: string;
  role: string;
  files: Array<{ name: string; sha256: string }>;
  /** Supernodes: linked supernodes. */
  neighbours: string[];
  /** Leaves: supernodes attached to. */
  uplinks: string[];
}

export interface SearchTruth {
  /** Distinct (owner, sha256) matches within the TTL horizon, the searcher's own excluded. */
  reachable: number;
  /** The same over the whole cluster. */
  inCluster: number;
  /** Supernodes whose index holds a match: the floor of messages for any routing scheme. */
  matchingSupernodes: number;
  /** Most replicas (owners) of one matching file in the cluster. */
  maxReplicas: number;
}

interface Posting {
  owner: string;
  sha256: string;
}

export class GroundTruth {
  private readonly postings = new Map<string, Posting[]>();
  private readonly byHash = new Map<string, Posting[]>();
  private readonly replicas = new Map<string, number>();
  private readonly adj = new Map<string, string[]>();
  /** Owner -> supernodes that index it (a supernode indexes itself). */
  private readonly holdersOf = new Map<string, string[]>();
  /** Supernode -> owners it indexes. */
  private readonly ownersAt = new Map<string, string[]>();
  readonly nodes: Map<string, TopologyNode>;

  constructor(nodes: TopologyNode[]) {
    this.nodes = new Map(nodes.map((n) => [n.id, n]));
    for (const n of nodes) {
      const seenHere = new Set<string>();
      for (const f of n.files) {
        if (seenHere.has(f.sha256)) continue;
        seenHere.add(f.sha256);
        const p = { owner: n.id, sha256: f.sha256 };
        for (const t of uniqueTokens(f.name)) push(this.postings, t, p);
        push(this.byHash, f.sha256, p);
        this.replicas.set(f.sha256, (this.replicas.get(f.sha256) ?? 0) + 1);
      }
      if (n.role === 'supernode') {
        push(this.holdersOf, n.id, n.id);
        push(this.ownersAt, n.id, n.id);
        for (const m of n.neighbours) {
          push(this.adj, n.id, m);
          push(this.adj, m, n.id);
        }
      } else {
        for (const s of n.uplinks) {
          push(this.holdersOf, n.id, s);
          push(this.ownersAt, s, n.id);
        }
      }
    }
  }

  replicasOf(sha256: string): number {
    return this.replicas.get(sha256) ?? 0;
  }

  /** Supernodes a search from `origin` with `ttl` reaches. */
  horizon(origin: string, ttl: number): Set<string> {
    const node = this.nodes.get(origin);
    if (!node) return new Set();
    const start = node.role === 'supernode' ? [origin] : node.uplinks;
    // A supernode that originates sends at TTL t to its neighbours (distance t); a leaf's uplinks are distance 0 at TTL t-1.
    const depth = node.role === 'supernode' ? ttl : ttl - 1;
    const seen = new Set(start);
    let frontier = [...start];
    for (let d = 0; d < depth && frontier.length > 0; d++) {
      const next: string[] = [];
      for (const s of frontier) {
        for (const m of this.adj.get(s) ?? []) {
          if (seen.has(m)) continue;
          seen.add(m);
          next.push(m);
        }
      }
      frontier = next;
    }
    return seen;
  }

  /** Matches of a keyword query (or an exact hash) in the whole cluster. */
  matches(query: { criteria: string; sha256?: string }): Posting[] {
    if (query.sha256) return this.byHash.get(query.sha256) ?? [];
    const terms = uniqueTokens(query.criteria);
    if (terms.length === 0) return [];
    const lists = terms.map((t) => this.postings.get(t) ?? []).sort((a, b) => a.length - b.length);
    if (lists[0].length === 0) return [];
    const sets = lists.slice(1).map((l) => new Set(l.map(key)));
    return lists[0].filter((p) => sets.every((s) => s.has(key(p))));
  }

  truth(origin: string, ttl: number, query: { criteria: string; sha256?: string }): SearchTruth {
    const all = this.matches(query).filter((p) => p.owner !== origin);
    const reached = this.horizon(origin, ttl);
    const reachableOwners = new Set<string>();
    for (const s of reached) for (const o of this.ownersAt.get(s) ?? []) reachableOwners.add(o);
    const holders = new Set<string>();
    let maxReplicas = 0;
    for (const p of all) {
      for (const h of this.holdersOf.get(p.owner) ?? []) holders.add(h);
      maxReplicas = Math.max(maxReplicas, this.replicasOf(p.sha256));
    }
    return {
      reachable: all.filter((p) => reachableOwners.has(p.owner)).length,
      inCluster: all.length,
      matchingSupernodes: holders.size,
      maxReplicas,
    };
  }
}

/** A file name as a user would type it: its words, without the extension. */
export function queryOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return tokenize(dot > 0 ? fileName.slice(0, dot) : fileName).join(' ');
}

function key(p: Posting): string {
  return `${p.owner}\u0000${p.sha256}`;
}

function push<V>(map: Map<string, V[]>, k: string, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
