// What every command shares: --version, SUPERPEER_TARGET for client commands,
// colour only on a terminal and never with NO_COLOR.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { closedPort, REPO_ROOT, runCli, startFakeNode, type FakeNode } from './fake-client-node.js';
import { colourEnabled, paintFor } from '../render/colour.js';
import { statusText } from '../render/status-text.js';
import { STATUS } from './fixtures.js';
import type { StatusResponse__Output } from '../../node/generated/superpeer/v1/StatusResponse.js';

const run = promisify(execFile);
const ESC = '\u001b[';
let node: FakeNode;
before(async () => { node = await startFakeNode(); });
after(async () => { await node.close(); });

test('--version and -V print the package version and exit 0', async () => {
  const { version } = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const r = await runCli([flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), version);
  }
});

test('every client command takes its target from SUPERPEER_TARGET; --target wins', async () => {
  const env = { SUPERPEER_TARGET: node.target };
  const status = await runCli(['status', '--json'], 20_000, env);
  assert.equal(status.code, 0, status.stderr);
  assert.equal((JSON.parse(status.stdout) as { node: { nodeId: string } }).node.nodeId, 'sn-0');
  const search = await runCli(['search', '--json', 'blue'], 20_000, env);
  assert.equal(search.code, 0, search.stderr);
  assert.ok(search.stdout.trim().split('\n').length >= 1);
  const topology = await runCli(['topology', '--json'], 20_000, env);
  assert.equal(topology.code, 0, topology.stderr);
  const down = `127.0.0.1:${await closedPort()}`;
  const get = await runCli(['get', 'a'.repeat(64), '--timeout-ms', '2000'], 20_000, { SUPERPEER_TARGET: down });
  assert.equal(get.code, 1);
  assert.match(get.stderr, new RegExp(`cannot reach ${down}`));
  const flagWins = await runCli(['status', '--target', node.target], 20_000, { SUPERPEER_TARGET: down });
  assert.equal(flagWins.code, 0, flagWins.stderr);
  const bad = await runCli(['status'], 20_000, { SUPERPEER_TARGET: 'nonsense' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /SUPERPEER_TARGET/);
  const none = await runCli(['status']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /required option '--target/);
});

test('colour: only on a terminal, never with NO_COLOR or TERM=dumb', () => {
  assert.equal(colourEnabled({ isTTY: true }, {}), true);
  assert.equal(colourEnabled({ isTTY: false }, {}), false);
  assert.equal(colourEnabled({}, {}), false);
  assert.equal(colourEnabled({ isTTY: true }, { NO_COLOR: '1' }), false);
  assert.equal(colourEnabled({ isTTY: true }, { NO_COLOR: '' }), true); // no-color.org: set and non-empty
  assert.equal(colourEnabled({ isTTY: true }, { TERM: 'dumb' }), false);
  const s = STATUS as unknown as StatusResponse__Output;
  assert.ok(statusText(s, paintFor({ isTTY: true }, {})).includes(ESC));
  assert.ok(!statusText(s, paintFor({ isTTY: true }, { NO_COLOR: '1' })).includes(ESC));
  // Colour does not move the columns: the plain text is the coloured text without escapes.
  assert.equal(statusText(s, paintFor({ isTTY: true }, {})).replace(/\u001b\[\d+m/g, ''), statusText(s));
});

test('the real CLI on a pseudo-terminal is coloured, piped or with NO_COLOR it is not', async () => {
  const cmd = `${JSON.stringify(process.execPath)} --import tsx services/cli/main.ts status --target ${node.target}`;
  // script(1) gives the command a terminal; its output is what the terminal got.
  const tty = await run('script', ['-qec', cmd, '/dev/null'], { cwd: REPO_ROOT, env: { ...process.env, TERM: 'xterm', NO_COLOR: '' } });
  assert.ok(tty.stdout.includes(ESC), tty.stdout);
  const noColour = await run('script', ['-qec', cmd, '/dev/null'], { cwd: REPO_ROOT, env: { ...process.env, TERM: 'xterm', NO_COLOR: '1' } });
  assert.ok(!noColour.stdout.includes(ESC), noColour.stdout);
  assert.match(noColour.stdout, /sn-0 \(supernode\)/);
  const piped = await runCli(['status', '--target', node.target], 20_000, { TERM: 'xterm' });
  assert.ok(!piped.stdout.includes(ESC));
});
