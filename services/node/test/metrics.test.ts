import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { Observation } from '../../core/environment.js';
import { createMetrics, recordObservation, type Metrics } from '../metrics.js';
import { REFUSAL_REASONS } from '../rate-limits.js';
import { parseExposition, type Sample } from './exposition.js';

async function samples(metrics: Metrics): Promise<Sample[]> {
  const { body, contentType } = await metrics.handler();
  assert.match(contentType, /^text\/plain/);
  return parseExposition(body);
}

function value(all: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.equal(found.length, 1, `${name}${JSON.stringify(labels)} matched ${found.length} series`);
  return found[0].value;
}

test('a supernode that forwards, drops a duplicate and finds a hit at hops 2 shows exactly those counts', async () => {
  const metrics = createMetrics({ nodeId: 'sn-1', zone: 'zone-a', defaultMetrics: false });
  const observations: Observation[] = [
    { type: 'descriptor', kind: 'query', fate: 'received' },
    { type: 'query_handled', matched: false },
    { type: 'descriptor', kind: 'query', fate: 'forwarded' },
    { type: 'sent', kind: 'query', count: 3 },
    { type: 'descriptor', kind: 'query', fate: 'received' },
    { type: 'descriptor', kind: 'query', fate: 'duplicate' },
    { type: 'hit', hops: 2, sameZone: true, results: 4 },
    { type: 'search_done', firstHitMs: 120, durationMs: 2000, results: 4 },
  ];
  for (const o of observations) recordObservation(metrics, o);
  metrics.setState({ role: 'supernode', leaves: 5, leafCapacity: 64, links: 3 });

  const all = await samples(metrics);
  const q = (fate: string): number => value(all, 'superpeer_descriptors_total', { type: 'query', fate });
  assert.equal(q('received'), 2);
  assert.equal(q('forwarded'), 1);
  assert.equal(q('duplicate'), 1);
  assert.equal(q('ttl_expired'), 0);
  assert.equal(value(all, 'superpeer_descriptors_sent_total', { type: 'query' }), 3);
  assert.equal(value(all, 'superpeer_queries_handled_total'), 1);
  assert.equal(value(all, 'superpeer_hits_total', { locality: 'same_zone' }), 1);
  assert.equal(value(all, 'superpeer_hits_total', { locality: 'cross_zone' }), 0);
  assert.equal(value(all, 'superpeer_search_hops_count'), 1);
  assert.equal(value(all, 'superpeer_search_hops_sum'), 2);
  assert.equal(value(all, 'superpeer_search_hops_bucket', { le: '1' }), 0);
  assert.equal(value(all, 'superpeer_search_hops_bucket', { le: '2' }), 1);
  assert.equal(value(all, 'superpeer_searches_total', { outcome: 'hit' }), 1);
  assert.equal(value(all, 'superpeer_searches_total', { outcome: 'miss' }), 0);
  assert.equal(value(all, 'superpeer_search_first_hit_seconds_sum'), 0.12);
  assert.equal(value(all, 'superpeer_search_duration_seconds_sum'), 2);
  assert.equal(value(all, 'superpeer_role', { role: 'supernode' }), 1);
  assert.equal(value(all, 'superpeer_role', { role: 'leaf' }), 0);
  assert.equal(value(all, 'superpeer_leaves'), 5);
  for (const s of all) {
    assert.equal(s.labels.node, 'sn-1', `${s.name} carries the node label`);
    assert.equal(s.labels.zone, 'zone-a', `${s.name} carries the zone label`);
  }
});

test('a search without results counts as a miss and observes no first hit', async () => {
  const metrics = createMetrics({ nodeId: 'l-1', zone: 'z', defaultMetrics: false });
  recordObservation(metrics, { type: 'search_done', firstHitMs: null, durationMs: 3000, results: 0 });
  const all = await samples(metrics);
  assert.equal(value(all, 'superpeer_searches_total', { outcome: 'miss' }), 1);
  assert.equal(value(all, 'superpeer_search_first_hit_seconds_count'), 0);
  assert.equal(value(all, 'superpeer_search_duration_seconds_count'), 1);
});

test('label sets are bounded: every label value comes from a fixed set', async () => {
  const metrics = createMetrics({ nodeId: 'n', zone: 'z', registry: new Registry() });
  metrics.registryErrors.inc('SELECT * FROM files WHERE name = "secret.mp3"');
  metrics.registryErrors.inc('heartbeat');
  assert.throws(
    () => metrics.descriptors.inc({ type: 'query', fate: 'some-query-text' as 'received' }),
    { code: 'BAD_FIELD' },
  );
  const all = await samples(metrics);
  assert.equal(value(all, 'superpeer_registry_errors_total', { op: 'other' }), 1);
  assert.equal(value(all, 'superpeer_registry_errors_total', { op: 'heartbeat' }), 1);
  const ownSeries = all.filter((s) => s.name.startsWith('superpeer_') && !s.name.startsWith('superpeer_process_')
    && !s.name.startsWith('superpeer_nodejs_'));
  // Fixed sets: 45 descriptor fates + 5 sent + 3 outcomes + 2+2 locality + 2 roles + 2 + 2 + 7 ops,
  // a handful of plain series and three histograms. Nothing grows with traffic.
  const perName = new Map<string, number>();
  for (const s of ownSeries) perName.set(s.name, (perName.get(s.name) ?? 0) + 1);
  assert.equal(perName.get('superpeer_descriptors_total'), 45);
  assert.equal(perName.get('superpeer_refusals_total'), REFUSAL_REASONS.length);
  assert.equal(perName.get('superpeer_registry_errors_total'), 7);
  // Refusal reasons grow with the caps the node enforces, one series each; the rest stays fixed.
  assert.ok(ownSeries.length - REFUSAL_REASONS.length < 130, `${ownSeries.length} series`);
  for (const s of ownSeries) {
    for (const k of Object.keys(s.labels)) {
      assert.ok(['node', 'zone', 'type', 'fate', 'outcome', 'locality', 'role', 'direction', 'op', 'reason', 'purpose', 'le'].includes(k), k);
    }
  }
  assert.ok(all.some((s) => s.name === 'superpeer_process_cpu_seconds_total'), 'default metrics carry the prefix');
});

test('collectState is read at every scrape', async () => {
  const metrics = createMetrics({ nodeId: 'n', zone: 'z', defaultMetrics: false });
  let leaves = 1;
  metrics.collectState(() => ({ leaves, uplinks: { sameZone: 1, crossZone: 0 }, registryUp: true }));
  assert.equal(value(await samples(metrics), 'superpeer_leaves'), 1);
  leaves = 7;
  const all = await samples(metrics);
  assert.equal(value(all, 'superpeer_leaves'), 7);
  assert.equal(value(all, 'superpeer_uplinks', { locality: 'same_zone' }), 1);
  assert.equal(value(all, 'superpeer_registry_up'), 1);
});

test('role changes are counted from the role gauge: the first role is none, each switch is one', async () => {
  const metrics = createMetrics({ nodeId: 'n', zone: 'z', defaultMetrics: false });
  const changes = async (): Promise<[number, number]> => {
    const all = await samples(metrics);
    return [value(all, 'superpeer_role_changes_total', { direction: 'promotion' }), value(all, 'superpeer_role_changes_total', { direction: 'demotion' })];
  };
  metrics.role.set('leaf');
  assert.deepEqual(await changes(), [0, 0]);
  metrics.setState({ role: 'leaf' });
  metrics.role.set('supernode');
  metrics.setState({ role: 'supernode' });
  assert.deepEqual(await changes(), [1, 0]);
  metrics.collectState(() => ({ role: 'leaf' }));
  assert.deepEqual(await changes(), [1, 1]);
  const all = await samples(metrics);
  assert.equal(value(all, 'superpeer_role', { role: 'leaf' }), 1);
  assert.equal(value(all, 'superpeer_role', { role: 'supernode' }), 0);
});
