import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_TARGET, durationFrom, readConfig, readTerms, scenarioDrift, steadyScenario, vusFor,
} from '../lib/env.js';
import { checksThresholds, latencyThresholds, streamThresholds } from '../lib/thresholds.js';
import { POPULAR_TERMS, RARE_TERMS } from '../lib/terms.js';

const HASH = 'a'.repeat(64);

test('defaults point at a node on loopback with the fixed ports', () => {
  const c = readConfig({});
  assert.equal(c.target, DEFAULT_TARGET);
  assert.equal(c.target, '127.0.0.1:6346');
  assert.equal(c.http, null);
  assert.equal(c.tls, false);
  assert.equal(c.protoDir, '../proto');
  assert.equal(c.rate, 50);
  assert.equal(c.duration, '1m');
  assert.equal(c.minHitRate, 0.9);
  assert.equal(c.connectTimeoutMs, 5000);
  assert.ok(c.maxVUs >= c.preAllocatedVUs);
  assert.deepEqual(c.sha256s, []);
});

test('environment overrides are parsed and validated', () => {
  const c = readConfig({
    SUPERPEER_TARGET: '10.0.0.5:7000', SUPERPEER_HTTP: '10.0.0.5:7001', SUPERPEER_TLS: 'true',
    RATE: '200', DURATION: '1m30s', PRE_VUS: '10', MAX_VUS: '40', SEARCH_TIMEOUT_MS: '500',
    TTL: '3', RARE_FRACTION: '0.25', ZIPF_S: '1.2', P95_MS: '100', P99_MS: '300', SHA256S: `${HASH.toUpperCase()}`,
  });
  assert.equal(c.target, '10.0.0.5:7000');
  assert.equal(c.http, '10.0.0.5:7001');
  assert.equal(c.tls, true);
  assert.equal(c.rate, 200);
  assert.equal(c.duration, '1m30s');
  assert.equal(c.preAllocatedVUs, 10);
  assert.equal(c.maxVUs, 40);
  assert.equal(c.searchTimeoutMs, 500);
  assert.equal(c.ttl, 3);
  assert.equal(c.rareFraction, 0.25);
  assert.equal(c.zipfExponent, 1.2);
  assert.deepEqual(c.sha256s, [HASH]);
  assert.deepEqual(latencyThresholds(c.p95Ms, c.p99Ms), ['p(95)<100', 'p(99)<300']);
  assert.deepEqual(checksThresholds(c), ['rate>0.99']);
  // Search streams live until their deadline: the bound follows SEARCH_TIMEOUT_MS.
  assert.deepEqual(streamThresholds(c), ['p(95)<750', 'p(99)<1500']);
});

test('bad values fail loudly, naming the variable', () => {
  assert.throws(() => readConfig({ RATE: 'fast' }), /RATE=fast/);
  assert.throws(() => readConfig({ RATE: '0' }), /RATE/);
  assert.throws(() => readConfig({ RATE: '1.5' }), /integer/);
  assert.throws(() => readConfig({ TTL: '8' }), /TTL/);
  assert.throws(() => readConfig({ RARE_FRACTION: '2' }), /RARE_FRACTION/);
  assert.throws(() => readConfig({ DURATION: '10 minutes' }), /DURATION/);
  assert.throws(() => readConfig({ SHA256S: 'abc' }), /SHA256S/);
  assert.throws(() => readConfig({ PRE_VUS: '10', MAX_VUS: '5' }), /MAX_VUS/);
  assert.equal(durationFrom({ D: ' 500ms ' }, 'D', '1s'), '500ms');
});

test('terms come from TERMS, then TERMS_FILE through the given reader; unset = learned from the target, built-in only when asked', () => {
  const noFile = (): string => assert.fail('no file should be read');
  assert.deepEqual(readTerms({}, noFile), { popular: null, rare: null });
  assert.deepEqual(readTerms({ BUILTIN_TERMS: '1' }, noFile), { popular: [...POPULAR_TERMS], rare: [...RARE_TERMS] });
  assert.deepEqual(readTerms({ TERMS: 'a,b', RARE_TERMS: 'z' }, noFile), { popular: ['a', 'b'], rare: ['z'] });
  assert.deepEqual(readTerms({ TERMS: 'a,b' }, noFile), { popular: ['a', 'b'], rare: null });
  const read: string[] = [];
  const terms = readTerms({ TERMS_FILE: 'terms.txt' }, (p) => {
    read.push(p);
    return '# popular first\nalpha\nbeta\n';
  });
  assert.deepEqual(read, ['terms.txt']);
  assert.deepEqual(terms.popular, ['alpha', 'beta']);
  assert.throws(() => readTerms({ TERMS: ' , ', RARE_TERMS: '#' }, noFile), /empty/);
});

test('VUs follow rate x stream duration (Little\'s law), with room for streams that close at the p99 bound', () => {
  // 50 searches/s whose streams live 2 s keep 100 VUs busy; up to 3 s each at the p99 slack, plus 25 %.
  assert.deepEqual(vusFor(50, 2000), { preAllocatedVUs: 100, maxVUs: 188 });
  assert.deepEqual(vusFor(1, 500), { preAllocatedVUs: 5, maxVUs: 10 });
  const c = readConfig({ RATE: '20', SEARCH_TIMEOUT_MS: '1000' });
  assert.deepEqual([c.preAllocatedVUs, c.maxVUs], [20, 50]);
  assert.equal(readConfig({ MAX_VUS: '500' }).maxVUs, 500);
});

test('scenarioDrift: the running options (an archive) against what this run\'s settings describe', () => {
  const wanted = steadyScenario(readConfig({ RATE: '5', DURATION: '30s' })) as unknown as Record<string, unknown>;
  assert.deepEqual(scenarioDrift(wanted, undefined), [], 'no running options known: nothing to compare');
  // k6 reports durations in Go's format.
  assert.deepEqual(scenarioDrift(wanted, { ...wanted, duration: '30s', timeUnit: '1s', gracefulStop: '30s' }), []);
  assert.deepEqual(scenarioDrift(wanted, { ...wanted, duration: '0m30s' }), []);
  const frozen = steadyScenario(readConfig({})) as unknown as Record<string, unknown>;
  const drift = scenarioDrift(wanted, frozen);
  assert.ok(drift.some((d) => d.startsWith('rate:')), drift.join('; '));
  assert.ok(drift.some((d) => d.startsWith('duration:')), drift.join('; '));
  const stages = [{ duration: '10s', target: 5 }];
  assert.deepEqual(scenarioDrift({ stages }, { stages: [{ duration: '10s', target: 5 }] }), []);
  assert.equal(scenarioDrift({ stages }, { stages: [{ duration: '10s', target: 9 }] }).length, 1);
});
