// End to end: the real CLI process against a real grpc-js Client service on loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closedPort, runCli, startFakeNode, type FakeNode } from './fake-client-node.js';

let node: FakeNode;
before(async () => { node = await startFakeNode(); });
after(async () => { await node.close(); });

const noStack = (s: string): void => assert.doesNotMatch(s, /\n\s+at /, 'no stack trace');

test('human output: one line per hit with path, then a summary', async () => {
  const r = await runCli(['search', '--target', node.target, '--ttl', '4', '--timeout-ms', '2000', 'blue', 'river']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0], /^ {2}1\. {2}blue-river\.txt {2}1\.5 KiB {2}aaaaaaaaaaaa… {2}leaf-0 @ 127\.0\.0\.1:7001 {2}hops 0 {2}zone-a {2}via sn-0/);
  assert.match(lines[1], /leaf-3 @ firewalled {2}hops 1 {2}zone-b {2}via sn-2 → sn-0/);
  assert.match(lines[2], /hops 2 {2}zone-b {2}via sn-2 → sn-1 → sn-0/);
  assert.match(lines[3], /^3 results from 3 sources · hops 0:1 1:1 2:1 · first hit \d+ ms · total \d+ ms$/);
  const req = node.searches.at(-1);
  assert.equal(req?.query, 'blue river');
  assert.equal(req?.ttl, 4);
  assert.equal(req?.timeout_ms, 2000);
});

test('--json: one SearchResult per line in proto3 JSON; summary on stderr', async () => {
  const r = await runCli(['search', '--target', node.target, '--json', '--max-results', '2', 'blue']);
  assert.equal(r.code, 0, r.stderr);
  const hits = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(hits.length, 2);
  assert.deepEqual(Object.keys(hits[0]).sort(), ['elapsedMs', 'firewalled', 'hops', 'httpAddress', 'name', 'nodeId', 'path', 'serventId', 'sha256', 'size', 'zone']);
  assert.deepEqual(hits[1].path, ['sn-2', 'sn-0']);
  assert.equal(hits[1].firewalled, true);
  assert.equal(node.searches.at(-1)?.max_results, 2);
  assert.match(r.stderr, /2 results from 2 sources/);
});

test('--sha256 alone searches by content hash', async () => {
  const r = await runCli(['search', '--target', node.target, '--sha256', 'A'.repeat(64)]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(node.searches.at(-1)?.sha256, 'a'.repeat(64));
});

test('--single-round asks the node for one round at the full TTL; plain searches leave the choice to the node', async () => {
  const r = await runCli(['search', '--target', node.target, '--single-round', '--ttl', '3', 'blue']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(node.searches.at(-1)?.single_round, true);
  assert.equal(node.searches.at(-1)?.dynamic, false);
  await runCli(['search', '--target', node.target, 'blue']);
  assert.equal(node.searches.at(-1)?.single_round, false);
});

test('zero results exit 0 and say "no results"', async () => {
  const r = await runCli(['search', '--target', node.target, 'nothing']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^no results · total \d+ ms\n$/);
});

test('a failing search is one clear line and exit 1; a rejected request exit 2', async () => {
  const boom = await runCli(['search', '--target', node.target, 'boom']);
  assert.equal(boom.code, 1);
  assert.equal(boom.stderr, `superpeer: search on ${node.target} failed (INTERNAL): index exploded\n`);
  const bad = await runCli(['search', '--target', node.target, 'bad']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /rejected the search request \(INVALID_ARGUMENT\): query has no terms/);
});

test('bad input: target, numbers, hash, no terms — usage errors with exit 2, no stack trace', async () => {
  const cases: [string[], RegExp][] = [
    [['search', '--target', 'nope', 'x'], /--target.*expected HOST:PORT/],
    [['search', '--target', node.target, '--max-results', 'abc', 'x'], /--max-results.*expected an integer, got "abc"/],
    [['search', '--target', node.target, '--max-results', '-1', 'x'], /--max-results.*from 0 to/],
    [['search', '--target', node.target, '--ttl', '9', 'x'], /--ttl.*from 1 to 7/],
    [['search', '--target', node.target, '--sha256', 'xyz'], /--sha256.*64 hex digits/],
    [['search', '--target', node.target], /give search terms or --sha256/],
    [['search', 'x'], /required option '--target/],
  ];
  const runs = await Promise.all(cases.map(([args]) => runCli(args)));
  for (const [i, [args, re]] of cases.entries()) {
    const r = runs[i];
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    noStack(r.stderr);
  }
});

test('an unreachable target: "cannot reach", exit 1, no stack trace', async () => {
  const port = await closedPort();
  const r = await runCli(['search', '--target', `127.0.0.1:${port}`, 'x']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^superpeer: cannot reach 127\\.0\\.0\\.1:${port} \\(UNAVAILABLE\\): .*ECONNREFUSED`));
  noStack(r.stderr);
});
