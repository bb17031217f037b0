// How node processes are started: leaf memory flags for hosts without a
// supernode, the same flags in the image, and the TypeScript loader by
// absolute path so a cluster starts from any working directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { hostEntry } from '../cluster/local-cluster.js';
import { leafProcessFlags, sourceLoaderFlags } from '../process-flags.js';

const run = promisify(execFile);

test('a host of one leaf (or one electable peer) gets the leaf flags; supernode and packed hosts do not', () => {
  for (const role of ['leaf', 'auto'] as const) {
    const { execArgv } = hostEntry([{ role }]);
    for (const f of ['--max-semi-space-size=1', '--max-old-space-size=256', '--v8-pool-size=2']) assert.ok(execArgv.includes(f), `${role}: ${f}`);
  }
  for (const configs of [[{ role: 'supernode' as const }], [{ role: 'leaf' as const }, { role: 'leaf' as const }]]) {
    assert.ok(!hostEntry(configs).execArgv.some((a) => a.startsWith('--max-semi-space-size')));
  }
});

test('a child started from sources finds tsx from any working directory', async () => {
  assert.deepEqual(sourceLoaderFlags('file:///app/dist/services/node/host.js'), []);
  const flags = sourceLoaderFlags(import.meta.url);
  assert.equal(flags[0], '--import');
  assert.match(flags[1], /^file:\/\/\/.*tsx/);
  const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
  const { stdout } = await run(process.execPath, [...flags, main, '--version'], { cwd: os.tmpdir(), env: { ...process.env, NODE_OPTIONS: '' } });
  assert.match(stdout.trim(), /^\d+\.\d+\.\d+/);
});

test('the image starts every node with the leaf flags', () => {
  const dockerfile = readFileSync(new URL('../../../deploy/Dockerfile', import.meta.url), 'utf8');
  const m = /^ENV NODE_OPTIONS="([^"]+)"$/m.exec(dockerfile);
  assert.ok(m, 'NODE_OPTIONS in deploy/Dockerfile');
  assert.deepEqual(m[1].split(' '), leafProcessFlags());
});
