// The package as a user gets it: `npm pack` in the repository, `npm install
// -g` of the tarball into a temporary prefix, then the installed `superpeer`
// run from an unrelated directory: --version, cluster up (its leaves run the
// compiled build with the leaf's memory flags) and the demo. Dependencies
// come from the npm cache or registry. Reuses dist/ when it is up to date.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { leafProcessFlags } from '../../node/process-flags.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILT = path.join(ROOT, 'dist', '.built');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const INSTALL_TIMEOUT_MS = 300_000;

/** Newest modification time of what the build reads (sources, protos, Lua, configs). */
function newestInput(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'test' && e.name !== 'node_modules') newest = Math.max(newest, newestInput(p));
    } else if (/\.(ts|proto|lua)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

async function ensureBuild(): Promise<void> {
  const inputs = Math.max(newestInput(path.join(ROOT, 'services')), newestInput(path.join(ROOT, 'proto')), ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(path.join(ROOT, f)).mtimeMs));
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= inputs) return;
  // npm run build, not make build: make would also run npm ci when package.json changed.
  await run('npm', ['run', 'build'], { cwd: ROOT, timeout: INSTALL_TIMEOUT_MS });
  writeFileSync(BUILT, '');
}

let tmp: string;
let bin: string;
let cwd: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'superpeer-install-'));
  await ensureBuild();
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 << 20 });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const files = packed.files.map((f) => f.path);
  for (const f of ['dist/services/cli/main.js', 'proto/superpeer/v1/overlay.proto', 'services/registry/lua', 'services/cli/bin.mjs']) {
    assert.ok(files.some((p) => p.startsWith(f)), `${f} is in the tarball`);
  }
  assert.ok(!files.some((p) => p.includes('/test/') || p.endsWith('.ts')), 'no tests or TypeScript sources in the tarball');
  const prefix = path.join(tmp, 'prefix');
  cwd = path.join(tmp, 'elsewhere');
  await run('mkdir', ['-p', cwd]);
  // Same cache as the developer's npm; no network unless something is missing from it.
  await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', path.join(tmp, packed.filename)], { cwd, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 << 20 });
  bin = path.join(prefix, 'bin', 'superpeer');
  env = { ...process.env, PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH}`, NODE_OPTIONS: '' };
});
after(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

test('the installed superpeer prints its version from any directory', async () => {
  const { stdout } = await run('superpeer', ['--version'], { cwd, env });
  assert.equal(stdout.trim(), VERSION);
  const installed = path.join(path.dirname(bin), '..', 'lib', 'node_modules', 'superpeer');
  assert.ok(!existsSync(path.join(installed, 'node_modules', 'tsx')), 'tsx is not installed with the package');
});

test('cluster up runs the compiled build; its leaves carry the memory flags', async () => {
  const child = spawn('superpeer', ['cluster', 'up', '--supernodes', '1', '--peers', '2', '--zones', '1', '--files-per-peer', '3', '--json'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    for (let i = 0; i < 1_200 && !out.includes('\n') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(out.includes('\n'), `cluster up printed its nodes (stderr: ${err})`);
    const { nodes } = JSON.parse(out) as { nodes: Array<{ role: string; pid: number; grpcAddress: string }> };
    assert.equal(nodes.length, 3);
    const leaf = nodes.find((n) => n.role === 'leaf')!;
    const cmdline = readFileSync(`/proc/${leaf.pid}/cmdline`, 'utf8').split('\0');
    for (const flag of leafProcessFlags()) assert.ok(cmdline.includes(flag), `${flag} in ${cmdline.join(' ')}`);
    assert.ok(cmdline.some((a) => a.endsWith(path.join('superpeer', 'dist', 'services', 'node', 'cluster', 'host.js'))), cmdline.join(' '));
    assert.ok(!cmdline.some((a) => a.includes('tsx')), cmdline.join(' '));
    const status = await run('superpeer', ['status', '--json'], { cwd, env: { ...env, SUPERPEER_TARGET: leaf.grpcAddress } });
    assert.equal((JSON.parse(status.stdout) as { node: { role: string } }).node.role, 'leaf');
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, err);
});

test('the demo runs from the installed package', async () => {
  const { stdout } = await run('superpeer', ['demo', '--supernodes', '1', '--peers', '4', '--zones', '1', '--out', path.join(tmp, 'demo')], { cwd, env, timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 << 20 });
  assert.match(stdout, /downloads verified: [1-9]/);
  assert.ok(existsSync(path.join(tmp, 'demo', 'topology.svg')));
});
