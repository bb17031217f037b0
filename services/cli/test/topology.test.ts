// End to end: `superpeer topology` in every output form against a real grpc-js Client service.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { runCli, startFakeNode, type FakeNode } from './fake-client-node.js';

let node: FakeNode;
let dir: string;
before(async () => {
  node = await startFakeNode();
  dir = mkdtempSync(path.join(tmpdir(), 'superpeer-topology-'));
});
after(async () => {
  await node.close();
  rmSync(dir, { recursive: true, force: true });
});

test('text: supernode graph, leaves per supernode, balance', async () => {
  const r = await runCli(['topology', '--target', node.target]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /3 supernodes, 6 leaves \(2 firewalled\)/);
  assert.match(r.stdout, /CV 0\.177 · Jain 0\.970/);
  assert.match(r.stdout, /same-zone uplinks: 75\.0% \(6\/8\)/);
});

test('--json: {nodes, links} in proto3 JSON, the cluster-up node fields', async () => {
  const r = await runCli(['topology', '--target', node.target, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const g = JSON.parse(r.stdout) as { nodes: Record<string, unknown>[]; links: { kind: string }[] };
  assert.equal(g.nodes.length, 9);
  assert.deepEqual(Object.keys(g.nodes[0]).sort(), ['files', 'firewalled', 'grpcAddress', 'httpAddress', 'leaves', 'nodeId', 'role', 'score', 'uplinks', 'zone']);
  assert.equal(g.links.filter((l) => l.kind === 'link').length, 3);
  assert.equal(g.links.filter((l) => l.kind === 'uplink').length, 8);
});

test('--dot prints a graph; --svg writes a well-formed picture', async () => {
  const dot = await runCli(['topology', '--target', node.target, '--dot']);
  assert.equal(dot.code, 0, dot.stderr);
  assert.match(dot.stdout, /^graph superpeer \{[\s\S]*\}\n$/);
  const file = path.join(dir, 'overlay.svg');
  const svg = await runCli(['topology', '--target', node.target, '--svg', file]);
  assert.equal(svg.code, 0, svg.stderr);
  assert.match(svg.stdout, /wrote .*overlay\.svg: 3 supernodes, 6 leaves, 11 links/);
  const xml = readFileSync(file, 'utf8');
  assert.equal(XMLValidator.validate(xml), true);
  assert.match(xml, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
});

test('bad input: two formats, unwritable file, bad target', async () => {
  const two = await runCli(['topology', '--target', node.target, '--json', '--dot']);
  assert.equal(two.code, 2);
  assert.match(two.stderr, /choose one of --json, --dot, --svg FILE/);
  const unwritable = await runCli(['topology', '--target', node.target, '--svg', path.join(dir, 'missing', 'x.svg')]);
  assert.equal(unwritable.code, 1);
  assert.match(unwritable.stderr, /^superpeer: cannot write .*x\.svg: ENOENT/);
  const bad = await runCli(['topology', '--target', 'host-without-port']);
  assert.equal(bad.code, 2);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});
