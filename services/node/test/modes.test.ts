// The four search modes on real local clusters: the same question asked
// through a leaf, answered by the supernode tier, by flooding, by the
// central index, and (exact hashes) by the Chord ring.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalCluster, type ClusterNode } from '../cluster/local-cluster.js';
import { tokenize } from '../../core/keywords.js';
import { locate, search, until } from './nodes.js';

async function withCluster(mode: 'supernode' | 'flood' | 'central' | 'dht', run: (c: LocalCluster, nodes: ClusterNode[]) => Promise<void>) {
  const c = await LocalCluster.up({ supernodes: 4, peers: 16, zones: 2, seed: 5, nodesPerProcess: 5, mode, filesPerPeer: 5 });
  try {
    assert.ok(await c.waitAttached(30_000), 'attached');
    await run(c, (await c.describe()).nodes);
  } finally {
    await c.down();
  }
}

/** A file held by exactly one node other than the searcher. */
function rareFile(nodes: ClusterNode[], searcher: ClusterNode) {
  const count = new Map<string, number>();
  for (const n of nodes) for (const f of n.files) count.set(f.sha256, (count.get(f.sha256) ?? 0) + 1);
  for (const n of nodes) {
    if (n === searcher) continue;
    const f = n.files.find((x) => count.get(x.sha256) === 1);
    if (f) return { holder: n, file: f };
  }
  throw new Error('no rare file');
}

describe('search modes on a real cluster', { timeout: 240_000 }, () => {
  test('supernode: a leaf finds a rare file through the supernode tier', () =>
    withCluster('supernode', async (_c, nodes) => {
      const leaf = nodes.find((n) => n.role === 'leaf')!;
      const { holder, file } = rareFile(nodes, leaf);
      const r = await search(leaf.grpc, tokenize(file.name).join(' '), { ttl: 4, timeoutMs: 1500 });
      assert.ok(r.some((x) => x.node_id === holder.id && x.sha256 === file.sha256));
      assert.ok(r.every((x) => x.hops >= 1 && x.path.length === x.hops), 'hops = supernodes on the path back');
    }));

  test('flood: every node is a servent; the query floods the random graph within the TTL', () =>
    withCluster('flood', async (_c, nodes) => {
      assert.ok(nodes.every((n) => n.role === 'supernode'), 'no tiers in flood mode');
      const searcher = nodes[nodes.length - 1];
      const { holder, file } = rareFile(nodes, searcher);
      const r = await search(searcher.grpc, tokenize(file.name).join(' '), { ttl: 5, timeoutMs: 1500 });
      assert.ok(r.some((x) => x.node_id === holder.id), 'found by flooding');
    }));

  test('central: one round trip to the index, every holder at hops 1', () =>
    withCluster('central', async (_c, nodes) => {
      const leaf = nodes.find((n) => n.role === 'leaf')!;
      const { holder, file } = rareFile(nodes, leaf);
      await until(async () => (await search(leaf.grpc, tokenize(file.name).join(' '), { timeoutMs: 500 })).length > 0, 5_000, 'indexed');
      const r = await search(leaf.grpc, tokenize(file.name).join(' '), { timeoutMs: 500 });
      assert.ok(r.some((x) => x.node_id === holder.id && x.http_address === holder.http));
      assert.ok(r.every((x) => x.hops === 1 && x.path[0] === 'index'));
      const byHash = await locate(leaf.grpc, file.sha256);
      assert.deepEqual(byHash.sources.map((s) => s.node_id), [holder.id]);
    }));

  test('dht: Locate by content hash through a leaf goes round the Chord ring of supernodes', () =>
    withCluster('dht', async (_c, nodes) => {
      const leaf = nodes.find((n) => n.role === 'leaf')!;
      const held = new Map<string, Set<string>>();
      for (const n of nodes) for (const f of n.files) held.set(f.sha256, (held.get(f.sha256) ?? new Set()).add(n.id));
      const sample = [...held.entries()].slice(0, 12);
      // Records are placed once the ring has converged (early republishes).
      let missing: string[] = [];
      await until(
        async () => {
          missing = [];
          for (const [sha, holders] of sample) {
            const r = await locate(leaf.grpc, sha);
            for (const h of holders) if (!r.sources.some((s) => s.node_id === h)) missing.push(`${sha.slice(0, 8)}@${h}`);
          }
          if (missing.length > 0) await new Promise((r) => setTimeout(r, 1_000));
          return missing.length === 0;
        },
        // The ring settles, stays quiet for a re-announce period, then records move: slow on a busy machine.
        90_000,
        'every sampled file located with all its holders',
      ).catch((err: Error) => {
        throw new Error(`${err.message}; still missing: ${missing.join(' ')}`);
      });
      const r = await locate(leaf.grpc, sample[0][0]);
      assert.ok(r.sources.every((s) => s.path[0] === 'chord' && s.hops <= 4), JSON.stringify(r.sources.map((s) => s.hops)));
    }));
});
