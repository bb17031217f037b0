// The scenarios run unchanged under Node with the k6 modules replaced
// (loadtest/emulator), against real nodes on loopback: they pass where the
// overlay answers, and exit non-zero where nothing worked — nothing listening,
// a node that finds nothing, an archive whose options differ from the run's.
// k6's own parts (its JSON mapping, executors, threshold engine) are emulated
// here, so this is no proof about k6 itself: loadtest/README.md says what only
// a real k6 run shows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuperpeerNode } from '../../services/node/node.js';
import type { Leaf } from '../../services/core/leaf.js';
import type { Supernode } from '../../services/core/supernode.js';
import { shareDir, startNode, stopAll, until } from '../../services/node/test/nodes.js';
import { runScenario, type EmulatedRun } from '../emulator/run.js';
import { readConfig, steadyScenario } from '../lib/env.js';

const LOADTEST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const script = (name: string): string => join(LOADTEST_DIR, name);
/** Short runs: each is a few seconds of load at a few searches a second. */
const QUICK = { RATE: '4', DURATION: '2s', SEARCH_TIMEOUT_MS: '400', CONNECT_TIMEOUT_MS: '500' };
/**
 * Against live nodes: a stream ends at its first result (MAX_RESULTS=1) or a
 * deadline far enough away that a busy machine still answers; connects may be slow.
 */
const LIVE = { RATE: '4', DURATION: '2s', SEARCH_TIMEOUT_MS: '5000', MAX_RESULTS: '1', CONNECT_TIMEOUT_MS: '10000' };
const RUN_TIMEOUT_MS = 120_000;

function failed(run: EmulatedRun): string[] {
  return run.thresholds.filter((t) => !t.ok).map((t) => `${t.key} ${t.source} (${t.value})`);
}

/**
 * The run did what it should: every threshold held, except perhaps latency
 * bounds (p(95), p(99)), which a loaded test machine may miss — speed is
 * measured in benchmarks, not asserted here.
 */
function assertWorked(run: EmulatedRun): void {
  const wrong = run.thresholds.filter((t) => !t.ok && !t.source.startsWith('p('));
  assert.deepEqual(wrong, [], explain(run));
  assert.ok(run.exitCode === 0 || (run.exitCode === 99 && failed(run).length > 0), explain(run));
}

function explain(run: EmulatedRun): string {
  return JSON.stringify({ exitCode: run.exitCode, error: run.error, failed: failed(run), errors: run.iterationErrors.slice(0, 2) });
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('k6 scenarios, emulated, against nothing listening', { concurrency: 4 }, () => {
  let target = '';
  before(async () => {
    target = `127.0.0.1:${await closedPort()}`;
  });

  for (const name of ['search-steady.js', 'search-ramp.js', 'mixed.js', 'stream-search.js']) {
    test(`${name}: setup() cannot reach the target, the run exits non-zero before any load`, async () => {
      const run = await runScenario(script(name), { ...QUICK, SUPERPEER_TARGET: target }, { timeoutMs: RUN_TIMEOUT_MS });
      assert.notEqual(run.exitCode, 0, explain(run));
      assert.match(run.error ?? '', /cannot connect/);
    });
  }

  for (const skipEmptyMetrics of [false, true]) {
    test(`a target that answered setup() and went away: a failed connect is a failed check, the run fails${skipEmptyMetrics ? ' (empty metrics left unjudged)' : ''}`, async () => {
      const setupData = { popular: ['blue river'], rare: [], source: 'given', nodeId: '', role: '' };
      const run = await runScenario(script('search-steady.js'), { ...QUICK, SUPERPEER_TARGET: target }, { setupData, skipEmptyMetrics, timeoutMs: RUN_TIMEOUT_MS });
      assert.equal(run.exitCode, 99, explain(run));
      assert.ok((run.failedChecks?.['connect: target reachable'] ?? 0) > 0, explain(run));
      assert.ok(failed(run).some((f) => f.startsWith('checks ')), explain(run));
    });
  }
});

describe('k6 scenarios, emulated, against a small overlay', { concurrency: 4 }, () => {
  const nodes: SuperpeerNode[] = [];
  let target = '';
  before(async () => {
    // Two supernodes, three leaves; two names held by several leaves (popular), one by a single leaf.
    const blue = 'blue river, the whole recording';
    const red = 'red sun, the whole recording';
    const s1 = await startNode({ id: 's1', role: 'supernode' });
    const s2 = await startNode({ id: 's2', role: 'supernode', seeds: [s1.grpcAddress] });
    nodes.push(s1, s2);
    const leaves = [
      await startNode({ id: 'la', role: 'leaf', seeds: [s1.grpcAddress], uplinks: 1, shareDir: await shareDir({ 'blue-river.mp3': blue, 'red-sun.ogg': red, 'lone-wolf.flac': 'only here' }) }),
      await startNode({ id: 'lb', role: 'leaf', seeds: [s1.grpcAddress], uplinks: 1, shareDir: await shareDir({ 'blue-river.mp3': blue, 'red-sun.ogg': red }) }),
      await startNode({ id: 'lc', role: 'leaf', seeds: [s2.grpcAddress], uplinks: 1, shareDir: await shareDir({ 'blue-river.mp3': blue }) }),
    ];
    nodes.push(...leaves);
    await until(() => leaves.every((l) => (l.core as Leaf).uplinkCount >= 1), 20_000, 'leaves attached');
    await until(() => (s1.core as Supernode).neighbourList().length >= 1, 20_000, 'supernodes linked');
    await until(() => (s1.core as Supernode).index.size >= 5 && (s2.core as Supernode).index.size >= 1, 20_000, 'shares indexed');
    target = s1.grpcAddress;
  });
  after(() => stopAll(nodes));

  test('search-steady at a supernode, zero-valued fields left out as k6 before v1.2.3 does: passes on terms learned from the overlay', async () => {
    const run = await runScenario(script('search-steady.js'), { ...LIVE, SUPERPEER_TARGET: target }, { timeoutMs: RUN_TIMEOUT_MS });
    assertWorked(run);
    assert.match(run.setupData?.source ?? '', /^learned from 5 nodes/);
    assert.equal(run.setupData?.role, 'supernode');
    assert.ok((run.metrics['search_hit_rate{kind:popular}']?.rate ?? 0) >= 0.9, JSON.stringify(run.metrics));
    assert.equal(run.metrics.checks?.rate, 1, 'hops 0 / elapsedMs 0 hits are well-formed');
  });

  test('stream-search with zero values emitted, as k6 v1.2.3 and later: passes', async () => {
    const run = await runScenario(script('stream-search.js'), { ...LIVE, SUPERPEER_TARGET: target }, { emitZeroValues: true, timeoutMs: RUN_TIMEOUT_MS });
    assertWorked(run);
  });

  test('mixed: searches, Locate and Status against the supernode pass', async () => {
    // 32 operations: each of the three is drawn at least once but with odds below 1e-4.
    const run = await runScenario(script('mixed.js'), { ...LIVE, RATE: '8', DURATION: '4s', SUPERPEER_TARGET: target, MIX: 'search=40,locate=30,status=30' }, { timeoutMs: RUN_TIMEOUT_MS });
    assertWorked(run);
  });

  test('mixed with Status only: no search thresholds to fail for want of searches', async () => {
    const run = await runScenario(script('mixed.js'), { ...LIVE, SUPERPEER_TARGET: target, MIX: 'status=1' }, { timeoutMs: RUN_TIMEOUT_MS });
    assertWorked(run);
    assert.ok(run.thresholds.some((t) => t.key === 'ops_ok{op:status}' && t.ok), explain(run));
  });

  test('search-ramp: every step searched and found something', async () => {
    const env = { ...LIVE, SUPERPEER_TARGET: target, START_RATE: '2', PEAK_RATE: '4', STEPS: '2', RAMP: '1s', HOLD: '1s' };
    const run = await runScenario(script('search-ramp.js'), env, { timeoutMs: RUN_TIMEOUT_MS });
    assertWorked(run);
    assert.ok(run.thresholds.some((t) => t.key === 'searches_ok{step:2}' && t.ok), explain(run));
  });

  test('without setup (--no-setup), iterations without terms are failed checks, whatever k6 does with empty metrics', async () => {
    const run = await runScenario(script('search-steady.js'), { ...LIVE, SUPERPEER_TARGET: target }, { noSetup: true, skipEmptyMetrics: true, timeoutMs: RUN_TIMEOUT_MS });
    assert.equal(run.exitCode, 99, explain(run));
    assert.ok((run.failedChecks?.['setup: search terms learned or given'] ?? 0) > 0, explain(run));
  });

  for (const skipEmptyMetrics of [false, true]) {
    test(`a node that finds nothing: the hit-rate threshold and its companion fail the run${skipEmptyMetrics ? ' (empty metrics left unjudged: the companion is seeded by setup)' : ''}`, async () => {
      const env = { ...QUICK, CONNECT_TIMEOUT_MS: LIVE.CONNECT_TIMEOUT_MS, SUPERPEER_TARGET: target, TERMS: 'zzzq,qqqz', RARE_TERMS: 'xxqq' };
      const run = await runScenario(script('search-steady.js'), env, { skipEmptyMetrics, timeoutMs: RUN_TIMEOUT_MS });
      assert.equal(run.exitCode, 99, explain(run));
      assert.ok(failed(run).some((f) => f.startsWith('search_hit_rate{kind:popular}')), explain(run));
      assert.ok(failed(run).some((f) => f.startsWith('searches_ok{kind:popular}')), explain(run));
    });
  }

  test('options frozen in an archive at other settings: setup() refuses the run', async () => {
    const frozen = { scenarios: { search_steady: steadyScenario(readConfig({ ...LIVE, RATE: '50' })) } };
    const run = await runScenario(script('search-steady.js'), { ...LIVE, SUPERPEER_TARGET: target }, { runningOptions: frozen, timeoutMs: RUN_TIMEOUT_MS });
    assert.notEqual(run.exitCode, 0, explain(run));
    assert.match(run.error ?? '', /rate: .*archive/);
  });
});
