// `superpeer get` against real nodes running mutual TLS (certificates made
// with the openssl CLI): Locate and RequestPush over TLS gRPC, the direct
// source over HTTPS, and the firewalled source's Push delivery (GIV socket)
// upgraded to TLS with the servent as the server. Without a client
// certificate the same download is refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Leaf } from '../../core/leaf.js';
import { Supernode } from '../../core/supernode.js';
import type { SuperpeerNode } from '../../node/node.js';
import type { TlsFiles } from '../../node/tls.js';
import { shareDir, startNode, stopAll, until } from '../../node/test/nodes.js';
import { runGet } from '../commands/get.js';

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A CA and one certificate it signs, carrying the overlay name (not the IP) as its SAN. */
async function makePki(dir: string): Promise<Required<Pick<TlsFiles, 'tlsCa' | 'tlsCert' | 'tlsKey'>>> {
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  await writeFile(path.join(dir, 'node.ext'), 'subjectAltName=DNS:superpeer\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(dir, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=node', '-keyout', 'node.key', '-out', 'node.csr');
  openssl(dir, 'x509', '-req', '-in', 'node.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'node.ext', '-out', 'node.crt');
  return { tlsCa: path.join(dir, 'ca.crt'), tlsCert: path.join(dir, 'node.crt'), tlsKey: path.join(dir, 'node.key') };
}

describe('get over mutual TLS: HTTPS and TLS on Push deliveries', () => {
  let pki: Awaited<ReturnType<typeof makePki>>;
  let dir: string;
  let sn: SuperpeerNode;
  const nodes: SuperpeerNode[] = [];
  const both = Buffer.from('held by a direct and a firewalled leaf\n'.repeat(40_000));
  const pushOnly = Buffer.from('held only behind a firewall\n'.repeat(30_000));
  const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'superpeer-get-tls-'));
    pki = await makePki(dir);
    sn = await startNode({ id: 'gt-sn', role: 'supernode', ...pki });
    const direct = await startNode({ id: 'gt-direct', role: 'leaf', seeds: [sn.grpcAddress], uplinks: 1, shareDir: await shareDir({ 'both.bin': both }), ...pki });
    const fw = await startNode({ id: 'gt-fw', role: 'leaf', seeds: [sn.grpcAddress], uplinks: 1, firewalled: true, shareDir: await shareDir({ 'both.bin': both, 'push-only.bin': pushOnly }), ...pki });
    nodes.push(sn, direct, fw);
    await until(() => [direct, fw].every((n) => n.core instanceof Leaf && n.core.uplinkCount === 1), 10_000, 'leaves attached');
    await until(() => sn.core instanceof Supernode && sn.core.index.size >= 2, 10_000, 'shares indexed');
  });
  after(() => stopAll(nodes));

  const env = () => ({ SUPERPEER_TLS_CA: pki.tlsCa, SUPERPEER_TLS_CERT: pki.tlsCert, SUPERPEER_TLS_KEY: pki.tlsKey });
  const get = (sha: string, out: string, e: Record<string, string | undefined>) =>
    runGet(sha, { target: sn.grpcAddress, out: path.join(dir, out), timeoutMs: 20_000, json: true, pushHost: '127.0.0.1' }, e);

  test('a file only a firewalled leaf holds arrives over a TLS Push delivery', async () => {
    const report = await get(hash(pushOnly), 'push-only.bin', env());
    assert.deepEqual(Object.keys(report.sources), ['gt-fw']);
    assert.deepEqual(await readFile(path.join(dir, 'push-only.bin')), pushOnly);
  });

  test('a file on a direct and a firewalled leaf comes from both: HTTPS and TLS over Push', async () => {
    const report = await get(hash(both), 'both.bin', env());
    assert.ok(report.sources['gt-direct'] > 0 && report.sources['gt-fw'] > 0, JSON.stringify(report.sources));
    assert.deepEqual(await readFile(path.join(dir, 'both.bin')), both);
  });

  test('without a client certificate the CLI cannot locate', async () => {
    await assert.rejects(get(hash(both), 'refused.bin', { SUPERPEER_TLS_CA: pki.tlsCa }), /locate|reach|failed/);
  });
});
