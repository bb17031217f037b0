// Answers far past the 64 KiB message cap: Status pages, Topology streams in
// parts, a leaf's share list goes in several updates — and every message on
// the wire stays under the cap.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { SuperpeerNode } from '../node.js';
import type { Supernode } from '../../core/supernode.js';
import type { Leaf } from '../../core/leaf.js';
import { shareDir, startNode, stopAll, until } from './nodes.js';
import { loadProto } from '../proto.js';
import { MAX_MESSAGE_BYTES } from '../../core/limits.js';
import type { StatusResponse__Output } from '../generated/superpeer/v1/StatusResponse.js';
import type { TopologyNode } from '../generated/superpeer/v1/TopologyNode.js';
import { fetchStatus } from '../../cli/commands/status.js';
import { fetchTopology } from '../../cli/commands/topology.js';
import { TopologyParts, mergeTopologyParts } from '../topology-parts.js';
import { wireSize } from '../wire-size.js';
import { shareMessages } from '../share-parts.js';

const SN_FILES = 2_500;
const LEAF_FILES = 1_500;
// ~120-byte names: 2,500 files are ~450 KB of Status, seven times the cap.
const name = (who: string, i: number) => `${who}-${String(i).padStart(5, '0')}-${'long-descriptive-title-of-a-shared-recording-'.repeat(2)}.flac`;

async function manyFiles(who: string, n: number): Promise<string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) files[name(who, i)] = `${who} ${i}`;
  return shareDir(files);
}

describe('answers well past the message cap', () => {
  const nodes: SuperpeerNode[] = [];
  let sn: SuperpeerNode;
  let leaf: SuperpeerNode;
  before(async () => {
    sn = await startNode({ id: 'big-sn', role: 'supernode', shareDir: await manyFiles('sn', SN_FILES) });
    leaf = await startNode({ id: 'big-leaf', role: 'leaf', seeds: [sn.grpcAddress], uplinks: 1, shareDir: await manyFiles('leaf', LEAF_FILES) });
    nodes.push(sn, leaf);
    await until(() => (leaf.core as Leaf).uplinkCount === 1, 20_000, 'attached');
    // The leaf's share list arrives in several updates, each under the cap.
    await until(() => (sn.core as Supernode).index.size === SN_FILES + LEAF_FILES, 20_000, 'index');
  });
  after(() => stopAll(nodes));

  test('Status pages: each page fits a client capped at 64 KiB; the pages hold every file once', async () => {
    const { pkg } = loadProto();
    const c = new pkg.superpeer.v1.Client(sn.grpcAddress, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
    const pages: StatusResponse__Output[] = [];
    let req = { leaves_offset: 0, files_offset: 0 };
    for (let i = 0; i < 100; i++) {
      const page = await new Promise<StatusResponse__Output>((resolve, reject) => c.Status(req, (err, res) => (err || !res ? reject(err) : resolve(res))));
      pages.push(page);
      if (!page.more) break;
      req = { leaves_offset: page.next_leaves_offset, files_offset: page.next_files_offset };
    }
    c.close();
    assert.ok(pages.length > 5, `${pages.length} pages`);
    assert.equal(pages[0].total_files, SN_FILES);
    const names = pages.flatMap((p) => p.files.map((f) => f.name));
    assert.equal(names.length, SN_FILES);
    assert.equal(new Set(names).size, SN_FILES);
    assert.equal(pages.at(-1)!.more, false);
    // The CLI walks the same pages.
    const whole = await fetchStatus(sn.grpcAddress);
    assert.equal(whole.files.length, SN_FILES);
    assert.equal(whole.leaves.length, 1);
  });

  test('Topology streams in parts: both nodes with all their files, from either end', async () => {
    for (const from of [sn, leaf]) {
      const g = await fetchTopology(from.grpcAddress);
      const byId = new Map(g.nodes.map((n) => [n.id, n]));
      assert.equal(byId.get('big-sn')?.files.length, SN_FILES, `from ${from.config.id}`);
      assert.equal(byId.get('big-leaf')?.files.length, LEAF_FILES);
      assert.deepEqual(byId.get('big-leaf')?.uplinks, ['big-sn']);
    }
  });
});

test('TopologyParts: 5,000 nodes with up to 400 files each in parts under the cap; merged back whole', async () => {
  const parts: Array<{ nodes: TopologyNode[]; links: Array<{ source: string; target: string; kind: string }> }> = [];
  const out = new TopologyParts(async (p) => {
    assert.ok(wireSize('superpeer.v1.TopologyResponse', p) <= MAX_MESSAGE_BYTES);
    parts.push(p as (typeof parts)[number]);
  });
  let files = 0;
  for (let i = 0; i < 5_000; i++) {
    const n = i % 50 === 0 ? 400 : i % 7;
    files += n;
    await out.node({
      node_id: `node-${i}`, role: i % 10 ? 'leaf' : 'supernode', zone: `zone-${i % 3}`, grpc_address: `10.0.${i >> 8}.${i & 255}:6346`, http_address: '', firewalled: false, uplinks: [`node-${i - (i % 10)}`],
      files: Array.from({ length: n }, (_, k) => ({ sha256: 'a'.repeat(64), name: name(`n${i}`, k), size: k })), score: 1, leaves: 0,
    });
    await out.link({ source: `node-${i}`, target: `node-${i - (i % 10)}`, kind: 'uplink' });
  }
  await out.end();
  const merged = mergeTopologyParts(parts.map((p) => ({ nodes: p.nodes.map((n) => ({ ...n, node_id: n.node_id!, files: n.files ?? [] })), links: p.links })));
  assert.ok(parts.length > 100, `${parts.length} parts`);
  assert.equal(merged.nodes.length, 5_000);
  assert.equal(merged.links.length, 5_000);
  assert.equal(merged.nodes.reduce((a, n) => a + n.files.length, 0), files);
  assert.equal(merged.nodes.find((n) => n.node_id === 'node-50')?.files.length, 400);
  assert.equal(merged.nodes.find((n) => n.node_id === 'node-50')?.role, 'supernode');
});

test('shareMessages: 10,000 files of 512-character names in updates under the cap; only the first resets', () => {
  const add = Array.from({ length: 10_000 }, (_, i) => ({ sha256: i.toString(16).padStart(64, '0'), name: `${i}-`.padEnd(512, 'x'), size: i }));
  const msgs = shareMessages({ add, remove: ['f'.repeat(64)], reset: true });
  assert.ok(msgs.length > 80);
  for (const m of msgs) assert.ok(wireSize('superpeer.v1.LeafMessage', m) <= MAX_MESSAGE_BYTES);
  assert.deepEqual(msgs.map((m) => m.shares!.reset), [true, ...Array(msgs.length - 1).fill(false)]);
  assert.equal(msgs.reduce((a, m) => a + m.shares!.add!.length, 0), 10_000);
});
