// One contract every Registry implementation must meet. Each implementation's
// test file supplies setup/teardown; expiry is driven through `elapse`, which
// moves a virtual clock (memory) or lets real time pass (Redis), and every
// wait is a bounded poll.

import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateEntry, NodeRecord, Registry, RegistryHooks, RegistryOp, SupernodeEntry } from '../registry.js';

export interface RegistryFixture {
  registry: Registry;
  /** Another client of the same store, as a second node would hold. */
  peer(): Promise<Registry>;
  /** Let `ms` of registry time pass. */
  elapse(ms: number): Promise<void>;
  /** Make the store unreachable, then reachable again (same client, no restart of it). */
  outage: { begin(): Promise<void>; end(): Promise<void> };
}

/** Short enough for real time, long enough for a round trip on a busy machine. */
const TTL_MS = 300;
const LONG_TTL_MS = 60_000;
const STEP_MS = 50;

export function record(id: string, extra: Partial<NodeRecord> = {}): NodeRecord {
  return {
    id,
    grpcAddress: `127.0.0.1:${6000 + id.length}`,
    httpAddress: '127.0.0.1:6347',
    zone: 'z1',
    role: 'leaf',
    score: 10,
    eligible: true,
    leaves: 0,
    leafCapacity: 64,
    lastChangeMs: 0,
    ...extra,
  };
}

function entry(id: string, extra: Partial<SupernodeEntry> = {}): SupernodeEntry {
  return { id, grpcAddress: `10.0.0.1:6346`, zone: 'z1', leaves: 3, leafCapacity: 64, score: 50, ...extra };
}

export function registryContract(
  name: string,
  setup: (hooks: RegistryHooks) => Promise<RegistryFixture>,
  teardown: (fixture: RegistryFixture) => Promise<void>,
): void {
  describe(`Registry contract: ${name}`, () => {
    let f: RegistryFixture;
    let r: Registry;
    const errors: RegistryOp[] = [];
    const status: boolean[] = [];

    /** Poll `cond`, letting registry time pass between tries; bounded in count. */
    async function eventually(cond: () => Promise<boolean>, maxMs: number): Promise<void> {
      for (let waited = 0; waited <= maxMs; waited += STEP_MS) {
        if (await cond()) return;
        await f.elapse(STEP_MS);
      }
      assert.fail(`condition not met within ${maxMs} ms`);
    }

    beforeEach(async () => {
      errors.length = 0;
      status.length = 0;
      f = await setup({ onError: (op) => errors.push(op), onStatus: (up) => status.push(up) });
      r = f.registry;
    });
    afterEach(async () => {
      await teardown(f);
    });

    test('announce, liveNodes, remove', async () => {
      await r.announce(record('a', { score: 5, role: 'supernode', zone: 'z2' }), LONG_TTL_MS);
      await r.announce(record('b'), LONG_TTL_MS);
      const nodes = await r.liveNodes();
      assert.deepEqual(nodes.map((n) => n.id).sort(), ['a', 'b']);
      assert.deepEqual(nodes.find((n) => n.id === 'a'), record('a', { score: 5, role: 'supernode', zone: 'z2' }));
      await r.remove('a');
      assert.deepEqual((await r.liveNodes()).map((n) => n.id), ['b']);
    });

    test('records expire without heartbeats; heartbeats keep them alive', async () => {
      await r.announce(record('kept'), TTL_MS);
      await r.announce(record('dropped'), TTL_MS);
      await eventually(async () => {
        assert.equal(await r.heartbeat('kept', TTL_MS), true);
        return (await r.liveNodes()).every((n) => n.id !== 'dropped');
      }, 10 * TTL_MS);
      assert.deepEqual((await r.liveNodes()).map((n) => n.id), ['kept']);
      assert.equal(await r.heartbeat('dropped', TTL_MS), false, 'an expired record must be announced again');
    });

    test('topScores: highest first, only live nodes', async () => {
      await r.announce(record('low', { score: 1 }), LONG_TTL_MS);
      await r.announce(record('high', { score: 90 }), LONG_TTL_MS);
      await r.announce(record('mid', { score: 40 }), LONG_TTL_MS);
      await r.announce(record('gone', { score: 99 }), TTL_MS);
      assert.deepEqual((await r.topScores(2)).map((s) => s.id), ['gone', 'high']);
      await eventually(async () => (await r.topScores(10)).every((s) => s.id !== 'gone'), 10 * TTL_MS);
      assert.deepEqual(await r.topScores(2), [{ id: 'high', score: 90 }, { id: 'mid', score: 40 }]);
      // Re-announcing with a new score moves the node.
      await r.announce(record('low', { score: 95 }), LONG_TTL_MS);
      assert.equal((await r.topScores(1))[0].id, 'low');
      assert.deepEqual(await r.topScores(0), []);
    });

    test('supernode directory: set, refresh, list, remove, expire', async () => {
      await r.setSupernode(entry('s1', { zone: 'z1' }), LONG_TTL_MS);
      await r.setSupernode(entry('s2', { zone: 'z2', leaves: 7 }), LONG_TTL_MS);
      await r.setSupernode(entry('s1', { zone: 'z1', leaves: 9 }), LONG_TTL_MS);
      assert.deepEqual(await r.supernodes(), [entry('s1', { zone: 'z1', leaves: 9 }), entry('s2', { zone: 'z2', leaves: 7 })]);
      await r.removeSupernode('s2');
      assert.deepEqual((await r.supernodes()).map((s) => s.id), ['s1']);
      await r.setSupernode(entry('short'), TTL_MS);
      await eventually(async () => (await r.supernodes()).every((s) => s.id !== 'short'), 10 * TTL_MS);
      assert.deepEqual((await r.supernodes()).map((s) => s.id), ['s1']);
    });

    test('directory read incrementally: only what changed, removals and expiries, nothing in steady state', async () => {
      const first = await r.directorySince(0);
      assert.equal(first.full, true);
      assert.deepEqual(first.changed, []);
      await r.setSupernode(entry('s1'), LONG_TTL_MS);
      await r.setSupernode(entry('s2', { zone: 'z2' }), LONG_TTL_MS);
      const all = await r.directorySince(0);
      assert.equal(all.full, true);
      assert.deepEqual(all.changed.map((e) => e.id).sort(), ['s1', 's2']);
      // A refresh with the same content is no change.
      await r.setSupernode(entry('s1'), LONG_TTL_MS);
      assert.deepEqual(await r.directorySince(all.version), { version: all.version, full: false, changed: [], removed: [] });
      await r.setSupernode(entry('s1', { leaves: 20, leafZones: { z1: 12, z2: 8 } }), LONG_TTL_MS);
      await r.setSupernode(entry('s3', { zone: 'z3' }), TTL_MS);
      await r.removeSupernode('s2');
      const delta = await r.directorySince(all.version);
      assert.equal(delta.full, false);
      assert.ok(delta.version > all.version);
      assert.deepEqual(delta.changed.map((e) => e.id).sort(), ['s1', 's3']);
      assert.deepEqual(delta.changed.find((e) => e.id === 's1')?.leafZones, { z1: 12, z2: 8 });
      assert.deepEqual(delta.removed, ['s2']);
      // An expired entry is reported as removed.
      let expired: string[] = [];
      let version = delta.version;
      await eventually(async () => {
        const d = await r.directorySince(version);
        version = d.version;
        expired = expired.concat(d.removed);
        return expired.includes('s3');
      }, 10 * TTL_MS);
      assert.deepEqual((await r.supernodes()).map((e) => e.id), ['s1']);
      // A version from the future (the store restarted and lost its count) gets the whole directory.
      const future = await r.directorySince(version + 1_000_000);
      assert.equal(future.full, true);
      assert.deepEqual(future.changed.map((e) => e.id), ['s1']);
    });

    test('candidates: the best few per zone, waiting peers counted, reports expire', async () => {
      const c = (id: string, extra: Partial<CandidateEntry> = {}): CandidateEntry => ({ id, zone: 'z1', score: 10, eligible: true, lastChangeMs: 0, attached: true, ...extra });
      await r.reportCandidates(
        [c('a', { score: 90 }), c('b', { score: 50 }), c('c', { score: 70 }), c('fw', { score: 99, eligible: false, attached: false }), c('d', { zone: 'z2', score: 5, attached: false })],
        LONG_TTL_MS,
      );
      await r.reportCandidates([c('short', { zone: 'z2', score: 80, attached: false })], TTL_MS);
      const view = await r.candidateView(2);
      const byZone = (z: string) => view.candidates.filter((x) => x.zone === z).map((x) => x.id);
      assert.deepEqual(byZone('z1'), ['a', 'c']);
      assert.deepEqual(byZone('z2'), ['short', 'd']);
      assert.deepEqual(view.waiting, { z1: 1, z2: 2 });
      assert.deepEqual(view.candidates.find((x) => x.id === 'a'), c('a', { score: 90 }));
      // Attached now: no longer waiting.
      await r.reportCandidates([c('d', { zone: 'z2', score: 5 })], LONG_TTL_MS);
      await eventually(async () => {
        const v = await r.candidateView(2);
        return v.waiting.z2 === undefined && v.candidates.every((x) => x.id !== 'short');
      }, 10 * TTL_MS);
      assert.deepEqual((await r.candidateView(5)).candidates.filter((x) => x.zone === 'z2').map((x) => x.id), ['d']);
      assert.deepEqual(await r.candidateView(0), { candidates: [], waiting: {} });
    });

    test('lease: two candidates racing, exactly one gets it', async () => {
      const other = await f.peer();
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.all([r.acquireLease(`a${round}`, LONG_TTL_MS), other.acquireLease(`b${round}`, LONG_TTL_MS)]);
        assert.equal([a, b].filter((x) => x !== null).length, 1, `round ${round}`);
        const won = (a ?? b)!;
        assert.deepEqual(await r.currentLease(), won);
        assert.equal(await other.releaseLease(won.holder, won.token), true);
      }
    });

    test('lease: while held nobody acquires it, not even under the holder\'s name (it renews with its token)', async () => {
      const first = await r.acquireLease('leader', LONG_TTL_MS);
      assert.ok(first);
      assert.equal(await r.acquireLease('leader', LONG_TTL_MS), null, 'a name alone never yields the token');
      assert.equal(await r.acquireLease('rival', LONG_TTL_MS), null);
      assert.equal(await r.renewLease('leader', first.token, LONG_TTL_MS), true);
    });

    test("lease: a dead leader's lease expires, another takes over with a larger token; stale tokens fail", async () => {
      const other = await f.peer();
      const old = await r.acquireLease('dead-leader', TTL_MS);
      assert.ok(old);
      let next: Awaited<ReturnType<Registry['acquireLease']>> = null;
      await eventually(async () => (next = await other.acquireLease('successor', LONG_TTL_MS)) !== null, 10 * TTL_MS);
      assert.ok(next);
      const taken = next as { holder: string; token: number };
      assert.equal(taken.holder, 'successor');
      assert.ok(taken.token > old.token, 'fencing token must increase');
      // The old leader wakes up: its renew and release fail, and it cannot evict the new one.
      assert.equal(await r.renewLease('dead-leader', old.token, LONG_TTL_MS), false);
      assert.equal(await r.releaseLease('dead-leader', old.token), false);
      assert.deepEqual(await r.currentLease(), taken);
    });

    test('role assignments are fenced by the current lease: a deposed leader or a forged token cannot decide', async () => {
      const other = await f.peer();
      assert.equal(await r.assignedRole('n1'), null);
      assert.equal(await r.assignRole('n1', 'supernode', 5, LONG_TTL_MS), false, 'no lease, no decision');
      const first = await r.acquireLease('first', TTL_MS);
      assert.ok(first);
      assert.equal(await r.assignRole('n1', 'supernode', first.token, LONG_TTL_MS), true);
      assert.deepEqual(await r.assignedRole('n1'), { role: 'supernode', token: first.token });
      assert.equal(await r.assignRole('n1', 'leaf', first.token + 1000, LONG_TTL_MS), false, 'a token never granted');
      assert.equal(await r.assignRole('n1', 'leaf', first.token, LONG_TTL_MS), true, 'the leader may change its mind');
      // The first leader is deposed (its lease expires, another takes it): its writes are refused.
      let second: Awaited<ReturnType<Registry['acquireLease']>> = null;
      await eventually(async () => (second = await other.acquireLease('second', LONG_TTL_MS)) !== null, 10 * TTL_MS);
      const next = second as unknown as { token: number };
      assert.equal(await r.assignRole('n1', 'supernode', first.token, LONG_TTL_MS), false, 'deposed leader refused');
      assert.deepEqual(await r.assignedRole('n1'), { role: 'leaf', token: first.token });
      assert.equal(await other.assignRole('n1', 'supernode', next.token, TTL_MS), true);
      assert.deepEqual(await r.assignedRole('n1'), { role: 'supernode', token: next.token });
      assert.deepEqual(await r.assignedRoles(['n1', 'none']), [{ role: 'supernode', token: next.token }, null]);
      assert.deepEqual(await r.assignedRoles([]), []);
      await eventually(async () => (await r.assignedRole('n1')) === null, 10 * TTL_MS);
    });

    test('lease: renew with the current token works, with a stale token or wrong holder fails', async () => {
      const l = await r.acquireLease('x', TTL_MS);
      assert.ok(l);
      assert.equal(await r.renewLease('x', l.token, LONG_TTL_MS), true);
      assert.equal(await r.renewLease('x', l.token - 1, LONG_TTL_MS), false);
      assert.equal(await r.renewLease('y', l.token, LONG_TTL_MS), false);
      // Renewed for long: still held after the short TTL has passed.
      await f.elapse(2 * TTL_MS);
      assert.deepEqual(await r.currentLease(), l);
      assert.equal(await r.releaseLease('x', l.token), true);
      assert.equal(await r.currentLease(), null);
      const again = await r.acquireLease('x', LONG_TTL_MS);
      assert.ok(again && again.token > l.token);
      assert.equal(await r.renewLease('x', l.token, LONG_TTL_MS), false, 'the token of an earlier grant is stale');
    });

    test('central index: keywords, content hash, re-index, unindex, live nodes only', async () => {
      const h = (c: string): string => c.repeat(64);
      await r.announce(record('n1'), LONG_TTL_MS);
      await r.announce(record('n2'), LONG_TTL_MS);
      await r.indexFiles('n1', [
        { sha256: h('a'), name: 'Blue Moon - Live.mp3', size: 10 },
        { sha256: h('b'), name: 'blue_sky.ogg', size: 20 },
      ]);
      await r.indexFiles('n2', [{ sha256: h('a'), name: 'blue moon.mp3', size: 10 }]);
      const key = (x: { nodeId: string; sha256: string }): string => `${x.nodeId}/${x.sha256[0]}`;
      assert.deepEqual((await r.searchCentral({ terms: ['BLUE'] }, 10)).map(key).sort(), ['n1/a', 'n1/b', 'n2/a']);
      assert.deepEqual((await r.searchCentral({ terms: ['blue moon'] }, 10)).map(key).sort(), ['n1/a', 'n2/a']);
      assert.deepEqual((await r.searchCentral({ terms: ['blue', 'jazz'] }, 10)), []);
      assert.deepEqual((await r.searchCentral({ terms: ['!'] }, 10)), []);
      const bySha = await r.searchCentral({ sha256: h('A') }, 10);
      assert.deepEqual(bySha.map(key).sort(), ['n1/a', 'n2/a']);
      assert.deepEqual(bySha.find((x) => x.nodeId === 'n1'), { nodeId: 'n1', sha256: h('a'), name: 'Blue Moon - Live.mp3', size: 10, httpAddress: '127.0.0.1:6347', zone: record('n1').zone });
      assert.equal((await r.searchCentral({ terms: ['blue'] }, 2)).length, 2);
      // Re-indexing replaces the node's files.
      await r.indexFiles('n1', [{ sha256: h('c'), name: 'green.txt', size: 1 }]);
      assert.deepEqual((await r.searchCentral({ terms: ['blue'] }, 10)).map(key), ['n2/a']);
      assert.deepEqual((await r.searchCentral({ terms: ['green'] }, 10)).map(key), ['n1/c']);
      // A node that is gone is not served, and unindex removes everything.
      await r.remove('n2');
      assert.deepEqual(await r.searchCentral({ terms: ['blue'] }, 10), []);
      await r.unindex('n1');
      assert.deepEqual(await r.searchCentral({ terms: ['green'] }, 10), []);
    });

    test('health reports up', async () => {
      const h = await r.health();
      assert.equal(h.up, true);
      assert.ok(typeof h.latencyMs === 'number');
    });

    test('outage: calls fail fast, hooks report it, the same client recovers', async () => {
      await r.announce(record('n1'), LONG_TTL_MS);
      await f.outage.begin();
      const started = performance.now();
      await assert.rejects(r.announce(record('n1'), LONG_TTL_MS), (e: Error & { code?: string }) => e.code === 'UNAVAILABLE');
      await assert.rejects(r.acquireLease('x', LONG_TTL_MS));
      await assert.rejects(r.liveNodes());
      assert.ok(performance.now() - started < 1_000, `failing took ${performance.now() - started} ms`);
      assert.equal((await r.health()).up, false);
      assert.ok(errors.includes('announce') && errors.includes('acquire_lease') && errors.includes('live_nodes'));
      assert.ok(status.includes(false));

      await f.outage.end();
      // Re-announce as a node does when its heartbeat fails, until the registry is back.
      await eventually(async () => {
        try {
          if (!(await r.heartbeat('n1', LONG_TTL_MS))) await r.announce(record('n1'), LONG_TTL_MS);
          return true;
        } catch {
          return false;
        }
      }, 10_000);
      assert.deepEqual((await r.liveNodes()).map((n) => n.id), ['n1']);
      assert.equal((await r.health()).up, true);
      assert.equal(status.at(-1), true);
    });
  });
}
