// Mutual TLS over real sockets, certificates made with the openssl CLI: a
// node with a certificate from the overlay CA links, attaches, searches and
// downloads over HTTPS; one without (no certificate, or one from another
// CA) cannot link or attach. Nodes dial by IP and verify the fixed overlay
// name "superpeer" that every certificate carries as a SAN.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { SuperpeerNode } from '../node.js';
import { Leaf } from '../../core/leaf.js';
import { download } from '../download.js';
import { httpsClientOptions, type TlsFiles } from '../tls.js';
import { loadProto } from '../proto.js';
import { shareDir, startNode, stopAll, until } from './nodes.js';
import { RawLink } from './raw-peer.js';

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A CA and a certificate it signs for `name`, with the overlay name as a SAN. */
async function makePki(dir: string, ca: string, leaf: string): Promise<TlsFiles> {
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${ca}`, '-keyout', `${ca}.key`, '-out', `${ca}.crt`);
  await writeFile(path.join(dir, `${leaf}.ext`), 'subjectAltName=DNS:superpeer,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(dir, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${leaf}`, '-keyout', `${leaf}.key`, '-out', `${leaf}.csr`);
  openssl(dir, 'x509', '-req', '-in', `${leaf}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${leaf}.ext`, '-out', `${leaf}.crt`);
  return { tlsCa: path.join(dir, `${ca}.crt`), tlsCert: path.join(dir, `${leaf}.crt`), tlsKey: path.join(dir, `${leaf}.key`) };
}

describe('mutual TLS on links, attaches, calls and transfers', () => {
  let good: TlsFiles;
  let rogue: TlsFiles;
  let sn: SuperpeerNode;
  let sn2: SuperpeerNode;
  let holder: SuperpeerNode;
  let searcher: SuperpeerNode;
  const nodes: SuperpeerNode[] = [];
  const body = Buffer.from('over tls, end to end\n'.repeat(5_000));
  const sha = createHash('sha256').update(body).digest('hex');

  before(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'superpeer-pki-'));
    good = await makePki(dir, 'overlay-ca', 'node');
    rogue = await makePki(dir, 'rogue-ca', 'rogue');
    sn = await startNode({ id: 'tls-sn', role: 'supernode', ...good });
    sn2 = await startNode({ id: 'tls-sn2', role: 'supernode', seeds: [sn.grpcAddress], ...good });
    holder = await startNode({ id: 'tls-holder', role: 'leaf', seeds: [sn2.grpcAddress], uplinks: 1, shareDir: await shareDir({ 'secret plans.txt': body }), ...good });
    searcher = await startNode({ id: 'tls-searcher', role: 'leaf', seeds: [sn.grpcAddress], uplinks: 1, ...good });
    nodes.push(sn, sn2, holder, searcher);
  });
  after(() => stopAll(nodes));

  test('nodes with certificates from the overlay CA link, attach, search and download over HTTPS', async () => {
    await until(() => sn2.streams.size > 0 && sn.streams.size > 0, 10_000, 'sn2 linked to sn');
    await until(() => searcher.core instanceof Leaf && searcher.core.uplinkCount === 1 && holder.core instanceof Leaf && holder.core.uplinkCount === 1, 10_000, 'leaves attached');
    assert.match(holder.httpAddress, /^127\.0\.0\.1:\d+$/);
    const { pkg } = loadProto();
    const c = new pkg.superpeer.v1.Client(searcher.grpcAddress, grpc.credentials.createSsl(await readFile(good.tlsCa!), await readFile(good.tlsKey!), await readFile(good.tlsCert!)), {
      'grpc.ssl_target_name_override': 'superpeer',
    });
    let results: Array<{ sha256: string; http_address: string; node_id: string }> = [];
    await until(async () => {
      results = await new Promise((resolve, reject) => {
        const out: Array<{ sha256: string; http_address: string; node_id: string }> = [];
        const call = c.Search({ query: 'secret plans', timeout_ms: 500, ttl: 0, sha256: '', max_results: 0 });
        call.on('data', (r) => out.push(r));
        call.on('end', () => resolve(out));
        call.on('error', reject);
      });
      return results.length > 0;
    }, 10_000, 'a hit over TLS links');
    c.close();
    assert.equal(results[0].sha256, sha);
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'superpeer-dl-')), 'plans.txt');
    const report = await download({
      sha256: sha,
      sources: [{ nodeId: results[0].node_id, httpAddress: results[0].http_address, firewalled: false, serventId: '00'.repeat(16) }],
      out,
      tls: httpsClientOptions(good),
      deadlineMs: 10_000,
    });
    assert.equal(report.size, body.length);
    assert.deepEqual(await readFile(out), body);
    // Plain HTTP is refused; over HTTPS without a client certificate /files is 403, probes answer.
    await assert.rejects(fetch(`http://${holder.httpAddress}/healthz`));
    const https = await import('node:https');
    const get = (p: string) => new Promise<number>((resolve, reject) => https.get(`https://${holder.httpAddress}${p}`, { ca: httpsClientOptions(good)!.ca, servername: 'superpeer' }, (r) => (r.resume(), resolve(r.statusCode ?? 0))).on('error', reject));
    assert.equal(await get(`/files/${sha}`), 403);
    assert.equal(await get('/healthz'), 200);
  });

  test('a node without a valid certificate cannot link or attach', async () => {
    const rogueLeaf = await startNode({ id: 'rogue-leaf', role: 'leaf', seeds: [sn.grpcAddress], uplinks: 1, ...rogue });
    const rogueSn = await startNode({ id: 'rogue-sn', role: 'supernode', seeds: [sn.grpcAddress], ...rogue });
    const plainLeaf = await startNode({ id: 'plain-leaf', role: 'leaf', seeds: [sn.grpcAddress], uplinks: 1 });
    nodes.push(rogueLeaf, rogueSn, plainLeaf);
    const insecure = new RawLink(sn.grpcAddress, 'no-cert');
    const wrongCa = new RawLink(sn.grpcAddress, 'wrong-ca', grpc.credentials.createSsl(await readFile(good.tlsCa!), await readFile(rogue.tlsKey!), await readFile(rogue.tlsCert!)));
    await until(() => insecure.status !== undefined && wrongCa.status !== undefined, 10_000, 'handshakes fail');
    assert.equal(insecure.status!.code, grpc.status.UNAVAILABLE);
    assert.equal(wrongCa.status!.code, grpc.status.UNAVAILABLE);
    // Give the rogue nodes time for several dial attempts (they retry every second).
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal((rogueLeaf.core as Leaf).uplinkCount, 0);
    assert.equal((plainLeaf.core as Leaf).uplinkCount, 0);
    assert.ok(!sn.core || ![...sn.streams.values()].some((s) => ['rogue-leaf', 'rogue-sn', 'plain-leaf'].includes(s.peer.nodeId)), 'none admitted');
    insecure.close();
    wrongCa.close();
  });
});
