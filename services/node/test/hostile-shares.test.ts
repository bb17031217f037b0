// Hostile share lists against a real local cluster (each node its own
// process, real gRPC on loopback): fake leaves attach to one supernode and
// send share updates as fast as they can, with 500-character names of
// distinct tokens. The supernode takes them within each leaf's byte budget,
// its token cap and its index memory cap, refuses the rest with a counted
// reason, keeps answering Status and honest searches, and is back to its
// baseline index once the fake leaves leave.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { LocalCluster, type ClusterNode } from '../cluster/local-cluster.js';
import { WIRE_VERSION, peerToWire } from '../codec.js';
import type { LeafMessage } from '../generated/superpeer/v1/LeafMessage.js';
import type { SupernodeMessage__Output } from '../generated/superpeer/v1/SupernodeMessage.js';
import { loadProto } from '../proto.js';
import { until } from './nodes.js';
import { firstHitMs, scrape, statusCounter } from './raw-peer.js';

const SHARE_RATE = 64 * 1024;
const SHARE_BURST = 256 * 1024;
const MAX_TOKENS = 5_000;
const MAX_INDEX_BYTES = 3_000_000;
const FAKE_LEAVES = 3;
const UPDATES_PER_LEAF = 150;
const FILES_PER_UPDATE = 40;

class FakeLeaf {
  readonly messages: SupernodeMessage__Output[] = [];
  status: grpc.StatusObject | undefined;
  private readonly client: grpc.Client;
  private readonly call: grpc.ClientDuplexStream<LeafMessage, SupernodeMessage__Output>;
  constructor(address: string, name: string) {
    const { pkg } = loadProto();
    const client = new pkg.superpeer.v1.Overlay(address, grpc.credentials.createInsecure());
    this.client = client;
    this.call = client.Attach();
    this.call.on('data', (m: SupernodeMessage__Output) => {
      if (this.messages.length < 100_000) this.messages.push(m);
    });
    this.call.on('error', () => undefined);
    this.call.on('status', (s) => (this.status = s));
    const me = { nodeId: name, serventId: randomBytes(16).toString('hex'), zone: 'z', grpcAddress: '127.0.0.1:1', httpAddress: '127.0.0.1:2', firewalled: false, score: 0, role: 'leaf' as const, leafCapacity: 0 };
    this.call.write({ hello: { node: peerToWire(me), secret: '', wire_version: WIRE_VERSION } });
  }
  async welcomed(): Promise<void> {
    await until(() => this.messages.some((m) => m.body === 'welcome') || this.status !== undefined, 10_000, 'welcome');
    if (this.status) throw new Error(`attach refused: ${this.status.details}`);
  }
  /** Writes updates, waiting for the transport when it pushes back; bounded by the count. */
  async flood(updates: number, files: number): Promise<void> {
    for (let u = 0; u < updates; u++) {
      const add = Array.from({ length: files }, () => ({ sha256: randomBytes(32).toString('hex'), name: junkName(), size: 1 }));
      if (this.status) return; // the supernode ended the stream
      if (!this.call.write({ shares: { add, remove: [], reset: false } })) {
        await new Promise<void>((r) => {
          const done = () => (clearTimeout(t), r());
          const t = setTimeout(done, 5_000);
          this.call.once('drain', done);
          this.call.once('status', done);
        });
      }
    }
  }
  rejects(code: string): number {
    return this.messages.filter((m) => m.body === 'reject' && m.reject?.code === code).length;
  }
  close(): void {
    this.call.cancel();
    this.client.close();
  }
}

/** About 500 characters of distinct 6-character tokens: the costliest name per byte. */
function junkName(): string {
  return Array.from({ length: 71 }, () => randomBytes(3).toString('hex')).join(' ');
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

describe('hostile share lists', { timeout: 180_000 }, () => {
  let cluster: LocalCluster;
  let target: ClusterNode;
  let honest: ClusterNode;
  let honestQuery: string;

  before(async () => {
    cluster = await LocalCluster.up({
      supernodes: 2, peers: 3, zones: 1, filesPerPeer: 10, seed: 21, nodesPerProcess: 1,
      nodeOverrides: { leafCapacity: 16, shareUpdateRate: SHARE_RATE, shareUpdateBurst: SHARE_BURST, maxTokensPerLeaf: MAX_TOKENS, maxIndexBytes: MAX_INDEX_BYTES },
    });
    assert.ok(await cluster.waitAttached(30_000), 'overlay formed');
    const nodes = (await cluster.describe()).nodes;
    target = nodes.find((n) => n.id === 'sn-0')!;
    honest = nodes.find((n) => n.role === 'leaf')!;
    const holder = nodes.find((n) => n.role === 'leaf' && n !== honest)!;
    honestQuery = holder.files[0].name.replace(/\.[a-z0-9]+$/i, '');
  });
  after(async () => {
    await cluster?.down();
  });

  test('a share-list flood is budgeted and capped, counted, and fully freed when the leaves leave', async () => {
    const baseline = { bytes: await statusCounter(target.grpc, 'index_bytes'), tokens: await statusCounter(target.grpc, 'index_tokens') };
    assert.ok(baseline.bytes > 0 && baseline.tokens > 0, 'honest leaves are indexed');
    assert.ok(Number.isFinite(await firstHitMs(honest.grpc, honestQuery)), 'honest search hits before');
    const rss0 = rssMiB(target.pid);
    const fakes = Array.from({ length: FAKE_LEAVES }, (_, i) => new FakeLeaf(target.grpc, `fake-${i}`));
    await Promise.all(fakes.map((f) => f.welcomed()));
    const started = Date.now();
    const flooding = Promise.all(fakes.map((f) => f.flood(UPDATES_PER_LEAF, FILES_PER_UPDATE)));
    // While it floods, Status answers (within its 3 s deadline) and honest searches hit.
    const statusTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = Date.now();
      await statusCounter(target.grpc, 'index_bytes');
      statusTimes.push(Date.now() - t);
    }
    await flooding;
    const sentMs = Date.now() - started;
    const reason = (r: string) => scrape(target.http, 'superpeer_refusals_total', { reason: r });
    await until(async () => (await reason('share_rate')) > 0, 10_000, 'rate refusals');
    const bytes = await statusCounter(target.grpc, 'index_bytes');
    const rss1 = rssMiB(target.pid);
    assert.ok(bytes <= MAX_INDEX_BYTES, `index ${bytes} bytes, cap ${MAX_INDEX_BYTES}`);
    assert.ok(Number.isFinite(await firstHitMs(honest.grpc, honestQuery)), 'honest search hits during');
    const rate = await reason('share_rate');
    const tokens = await reason('share_tokens');
    const full = await reason('index_full');
    const sent = FAKE_LEAVES * UPDATES_PER_LEAF;
    assert.ok(rate > sent / 2, `${rate} of ${sent} updates over the byte budget`);
    assert.ok(tokens + full > 0, `token cap ${tokens}, index full ${full}`);
    assert.ok(fakes.reduce((n, f) => n + f.rejects('RATE_LIMITED'), 0) > 0, 'the leaf is told in-stream');
    for (const f of fakes) f.close();
    await until(async () => (await statusCounter(target.grpc, 'index_bytes')) === baseline.bytes, 10_000, 'index back to baseline');
    assert.equal(await statusCounter(target.grpc, 'index_tokens'), baseline.tokens, 'no token left behind');
    const rss2 = rssMiB(target.pid);
    console.log(
      `share flood: ${sent} updates of ${FILES_PER_UPDATE} files in ${sentMs} ms; refused share_rate ${rate}, share_tokens ${tokens}, index_full ${full}; ` +
        `index ${bytes} bytes (cap ${MAX_INDEX_BYTES}); Status ${Math.max(...statusTimes)} ms at most; RSS ${rss0} → ${rss1} → ${rss2} MiB`,
    );
  });
});
