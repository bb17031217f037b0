// Hostile callers of the Chord RPC (dht mode) against a real local cluster
// (each node its own process, real gRPC on loopback): a caller without the
// overlay secret is refused; an insider's notify naming a node outside the
// directory is refused; answers go back on the caller's connection, never to
// the address a message names; a store flood is rate-limited and stops at
// the key cap. Honest Locates find every holder before and after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { LocalCluster, type ClusterNode } from '../cluster/local-cluster.js';
import { ringId } from '../dht.js';
import type { ChordAck__Output } from '../generated/superpeer/v1/ChordAck.js';
import type { ChordMessage } from '../generated/superpeer/v1/ChordMessage.js';
import { loadProto } from '../proto.js';
import { locate, until } from './nodes.js';
import { scrape, statusCounter } from './raw-peer.js';

const SECRET = 'chord-test-secret';
const CHORD_RATE = 200;
const MAX_KEYS = 150;

/** One connection's Chord calls, with or without the secret. */
class ChordCaller {
  private readonly client: grpc.Client & { Chord: (m: ChordMessage, md: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: ChordAck__Output) => void) => void };
  constructor(
    address: string,
    private readonly secret = '',
  ) {
    const { pkg } = loadProto();
    this.client = new pkg.superpeer.v1.Overlay(address, grpc.credentials.createInsecure()) as unknown as typeof this.client;
  }
  call(m: ChordMessage): Promise<{ err: grpc.ServiceError | null; ack?: ChordAck__Output }> {
    const md = new grpc.Metadata();
    if (this.secret) md.set('superpeer-secret', this.secret);
    return new Promise((resolve) => this.client.Chord(m, md, { deadline: new Date(Date.now() + 10_000) }, (err, ack) => resolve({ err, ack })));
  }
  close(): void {
    this.client.close();
  }
}

describe('hostile Chord callers', { timeout: 180_000 }, () => {
  let cluster: LocalCluster;
  let nodes: ClusterNode[];
  let target: ClusterNode;
  let leaf: ClusterNode;
  let sample: Array<[string, Set<string>]>;
  /** A listener standing for a victim address: it must never be dialled. */
  let victim: net.Server;
  let victimConnections = 0;
  let victimAddress = '';

  const allLocated = async (): Promise<string[]> => {
    const missing: string[] = [];
    for (const [sha, holders] of sample) {
      const r = await locate(leaf.grpc, sha);
      for (const h of holders) if (!r.sources.some((s) => s.node_id === h)) missing.push(`${sha.slice(0, 8)}@${h}`);
    }
    return missing;
  };

  before(async () => {
    victim = net.createServer((s) => {
      victimConnections++;
      s.destroy();
    });
    await new Promise<void>((r) => victim.listen(0, '127.0.0.1', r));
    victimAddress = `127.0.0.1:${(victim.address() as net.AddressInfo).port}`;
    cluster = await LocalCluster.up({
      supernodes: 3, peers: 4, zones: 1, seed: 13, nodesPerProcess: 1, mode: 'dht', filesPerPeer: 5,
      nodeOverrides: { secret: SECRET, chordRate: CHORD_RATE, chordBurst: CHORD_RATE, chordMaxKeys: MAX_KEYS },
    });
    assert.ok(await cluster.waitAttached(30_000), 'attached');
    nodes = (await cluster.describe()).nodes;
    target = nodes.find((n) => n.role === 'supernode')!;
    leaf = nodes.find((n) => n.role === 'leaf')!;
    const held = new Map<string, Set<string>>();
    for (const n of nodes) for (const f of n.files) held.set(f.sha256, (held.get(f.sha256) ?? new Set()).add(n.id));
    sample = [...held.entries()].slice(0, 20);
    let missing: string[] = [];
    await until(async () => {
      missing = await allLocated();
      if (missing.length > 0) await new Promise((r) => setTimeout(r, 1_000));
      return missing.length === 0;
    }, 60_000, 'every sampled file located').catch((err: Error) => {
      throw new Error(`${err.message}; missing ${missing.join(' ')}`);
    });
  });
  after(async () => {
    await cluster?.down();
    victim?.close();
  });

  test('without the secret every Chord call is refused and counted', async () => {
    const outsider = new ChordCaller(target.grpc);
    const before = await scrape(target.http, 'superpeer_refusals_total', { reason: 'chord_auth' });
    const attacker = { id: 1, address: victimAddress };
    for (const m of [{ notify: { from: attacker } }, { get_state: { req: 1, from: attacker } }, { store: { sha256: 'ab'.repeat(32), providers: [`x|${victimAddress}|z|1|f`] } }] as ChordMessage[]) {
      const { err } = await outsider.call(m);
      assert.equal(err?.code, grpc.status.UNAUTHENTICATED);
    }
    const wrong = new ChordCaller(target.grpc, 'not-the-secret');
    assert.equal((await wrong.call({ notify: { from: attacker } })).err?.code, grpc.status.UNAUTHENTICATED);
    outsider.close();
    wrong.close();
    assert.equal((await scrape(target.http, 'superpeer_refusals_total', { reason: 'chord_auth' })) - before, 4);
  });

  test('an insider cannot become a predecessor from outside the directory, nor make a member dial a named address', async () => {
    const insider = new ChordCaller(target.grpc, SECRET);
    // notify from every member's point of view, naming the victim address.
    for (const sn of nodes.filter((n) => n.role === 'supernode')) {
      const c = new ChordCaller(sn.grpc, SECRET);
      const { err } = await c.call({ notify: { from: { id: (ringId(sn.id) - 1) >>> 0, address: victimAddress } } });
      assert.equal(err?.code, grpc.status.UNAUTHENTICATED, `${sn.id} refuses a notify from outside the directory`);
      c.close();
    }
    assert.ok((await scrape(target.http, 'superpeer_refusals_total', { reason: 'chord_unknown_member' })) >= 1);
    // get_state, fetch and find_successor answer on this call, whatever address they name.
    const state = await insider.call({ get_state: { req: 7, from: { id: 1, address: victimAddress } } });
    assert.equal(state.ack?.reply?.body, 'state');
    assert.equal(Number(state.ack?.reply?.state?.req), 7);
    const fetched = await insider.call({ fetch: { req: 8, sha256: sample[0][0], from: { id: 1, address: victimAddress } } });
    assert.equal(fetched.ack?.reply?.body, 'providers');
    const found = await insider.call({ find_successor: { req: 9, key: 12345, origin: { id: 1, address: victimAddress }, hops: 1 } });
    assert.equal(found.ack?.reply?.body, 'found', 'a lookup, forwarded or not, is answered on the call');
    insider.close();
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(victimConnections, 0, 'the named address was never dialled');
    assert.deepEqual(await allLocated(), [], 'every holder still located');
  });

  test('a store flood is rate-limited per connection and stops at the key cap; honest records stay', async () => {
    const rate0 = await scrape(target.http, 'superpeer_refusals_total', { reason: 'chord_rate' });
    const keys0 = await scrape(target.http, 'superpeer_refusals_total', { reason: 'chord_keys' });
    const store = (i: number): ChordMessage => ({ store: { sha256: i.toString(16).padStart(64, 'f'), providers: [`evil|${victimAddress}|z|1|junk`] } });
    // One connection, twice its burst at once: the excess is refused.
    // A token bucket admits at most its burst plus rate × the time the calls took, however
    // slowly a loaded machine delivers them; on an idle one that leaves most of the excess refused.
    const burst = new ChordCaller(target.grpc, SECRET);
    const startedMs = Date.now();
    const answers = await Promise.all(Array.from({ length: 2 * CHORD_RATE }, (_, i) => burst.call(store(i))));
    const tookS = (Date.now() - startedMs) / 1000;
    burst.close();
    const limited = answers.filter((a) => a.err?.code === grpc.status.RESOURCE_EXHAUSTED).length;
    const admitted = answers.length - limited;
    assert.ok(admitted <= CHORD_RATE + Math.ceil(CHORD_RATE * tookS), `${admitted} of ${answers.length} admitted in ${tookS} s`);
    // Fresh connections, under the rate each, past the key cap.
    for (let c = 0; c < 3; c++) {
      const conn = new ChordCaller(target.grpc, SECRET);
      await Promise.all(Array.from({ length: CHORD_RATE / 2 }, (_, i) => conn.call(store(10_000 * (c + 1) + i))));
      conn.close();
    }
    const records = await statusCounter(target.grpc, 'chord_records');
    assert.ok(records <= MAX_KEYS, `${records} keys held, cap ${MAX_KEYS}`);
    assert.ok((await scrape(target.http, 'superpeer_refusals_total', { reason: 'chord_rate' })) - rate0 >= limited);
    assert.ok((await scrape(target.http, 'superpeer_refusals_total', { reason: 'chord_keys' })) - keys0 > 0, 'keys past the cap counted');
    assert.deepEqual(await allLocated(), [], 'every holder still located');
  });
});
