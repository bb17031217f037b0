// Server-side certificate checks under mutual TLS, over real sockets with
// openssl-made certificates from one CA: a certificate that does not name
// the overlay (issued for another service), one not for client
// authentication, and a `client` role certificate cannot Link or Attach;
// the first two cannot fetch /files either. Member certificates (the chart's
// per-role supernode and peer certificates) link and attach.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Leaf } from '../../core/leaf.js';
import type { SuperpeerNode } from '../node.js';
import { peerCertificateProblem } from '../peer-identity.js';
import type { TlsFiles } from '../tls.js';
import { metricValue, shareDir, startNode, stopAll, until } from './nodes.js';
import { RawLink } from './raw-peer.js';

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A certificate signed by the CA in `dir` with the given SANs and extended key usage. */
async function issue(dir: string, name: string, san: string, eku: string): Promise<TlsFiles> {
  await writeFile(path.join(dir, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=${eku}\n`);
  openssl(dir, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  return { tlsCa: path.join(dir, 'ca.crt'), tlsCert: path.join(dir, `${name}.crt`), tlsKey: path.join(dir, `${name}.key`) };
}

describe('mutual TLS: the server checks the caller certificate name and usage', () => {
  const certs: Record<string, TlsFiles> = {};
  let sn: SuperpeerNode;
  const nodes: SuperpeerNode[] = [];
  const body = Buffer.from('checked on both ends\n'.repeat(1_000));
  const sha = createHash('sha256').update(body).digest('hex');

  before(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'superpeer-identity-'));
    openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=ca', '-keyout', 'ca.key', '-out', 'ca.crt');
    certs.supernode = await issue(dir, 'supernode', 'DNS:superpeer,DNS:supernode.superpeer,IP:127.0.0.1', 'serverAuth,clientAuth');
    certs.peer = await issue(dir, 'peer', 'DNS:superpeer,DNS:peer.superpeer,IP:127.0.0.1', 'serverAuth,clientAuth');
    certs.client = await issue(dir, 'client', 'DNS:superpeer,DNS:client.superpeer', 'serverAuth,clientAuth');
    certs.other = await issue(dir, 'other', 'DNS:metrics-exporter,DNS:superpeer-not', 'serverAuth,clientAuth');
    certs.serverOnly = await issue(dir, 'server-only', 'DNS:superpeer', 'serverAuth');
    sn = await startNode({ id: 'id-sn', role: 'supernode', shareDir: await shareDir({ 'checked.txt': body }), ...certs.supernode });
    nodes.push(sn);
  });
  after(() => stopAll(nodes));

  const creds = async (c: TlsFiles) => grpc.credentials.createSsl(await readFile(c.tlsCa!), await readFile(c.tlsKey!), await readFile(c.tlsCert!));
  const files = async (c: TlsFiles) =>
    new Promise<number>((resolve, reject) =>
      https
        .get(`https://${sn.httpAddress}/files/${sha}`, { ca: readFileSync(c.tlsCa!), cert: readFileSync(c.tlsCert!), key: readFileSync(c.tlsKey!), servername: 'superpeer' }, (r) => (r.resume(), resolve(r.statusCode ?? 0)))
        .on('error', reject),
    );

  test('certificates without the overlay name, without client auth, or of the client role cannot link', async () => {
    const refused0 = await metricValue(sn, 'superpeer_refusals_total', { reason: 'peer_certificate' });
    for (const [name, reason] of [['other', /does not name the overlay/], ['client', /client certificate cannot join/]] as const) {
      const link = new RawLink(sn.grpcAddress, `as-${name}`, await creds(certs[name]));
      await until(() => link.status !== undefined, 10_000, `${name} refused`);
      assert.equal(link.status!.code, grpc.status.UNAUTHENTICATED, `${name}: ${link.status!.details}`);
      assert.match(link.status!.details, reason);
      link.close();
    }
    // gRPC's TLS layer itself refuses a client certificate not meant for client authentication.
    const serverOnly = new RawLink(sn.grpcAddress, 'as-server-only', await creds(certs.serverOnly));
    await until(() => serverOnly.status !== undefined, 10_000, 'server-only refused');
    assert.ok([grpc.status.UNAVAILABLE, grpc.status.UNAUTHENTICATED].includes(serverOnly.status!.code), serverOnly.status!.details);
    serverOnly.close();
    assert.equal((await metricValue(sn, 'superpeer_refusals_total', { reason: 'peer_certificate' })) - refused0, 2);
    assert.ok(![...sn.streams.values()].some((s) => s.peer.nodeId.startsWith('as-')), 'none admitted');
  });

  test('/files: refused without the overlay name or client auth, served to member and client certificates', async () => {
    assert.equal(await files(certs.other), 403);
    assert.equal(await files(certs.serverOnly), 403);
    assert.equal(await files(certs.client), 200);
    assert.equal(await files(certs.peer), 200);
  });

  test('member certificates: a peer attaches, a supernode links', async () => {
    const leaf = await startNode({ id: 'id-leaf', role: 'leaf', seeds: [sn.grpcAddress], uplinks: 1, ...certs.peer });
    const sn2 = await startNode({ id: 'id-sn2', role: 'supernode', seeds: [sn.grpcAddress], ...certs.supernode });
    const intruder = await startNode({ id: 'id-other', role: 'leaf', seeds: [sn.grpcAddress], uplinks: 1, ...certs.other });
    nodes.push(leaf, sn2, intruder);
    await until(() => (leaf.core as Leaf).uplinkCount === 1 && [...sn.streams.values()].some((s) => s.peer.nodeId === 'id-sn2'), 15_000, 'peer attached, supernode linked');
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal((intruder.core as Leaf).uplinkCount, 0, 'a certificate for another service never attaches');
  });

  test('the check itself: name, role and usage', () => {
    const cert = (san: string, eku?: string[]) => ({ subject: { CN: 'x' }, subjectaltname: san, ext_key_usage: eku }) as never;
    assert.equal(peerCertificateProblem(cert('DNS:superpeer'), 'superpeer', 'member'), undefined, 'single-certificate setup');
    assert.equal(peerCertificateProblem(cert('DNS:superpeer, DNS:peer.superpeer', ['1.3.6.1.5.5.7.3.2']), 'superpeer', 'member'), undefined);
    assert.match(peerCertificateProblem(cert('DNS:superpeer, DNS:client.superpeer'), 'superpeer', 'member')!, /client/);
    assert.equal(peerCertificateProblem(cert('DNS:superpeer, DNS:client.superpeer'), 'superpeer', 'transfer'), undefined);
    assert.match(peerCertificateProblem(cert('DNS:superpeer.evil'), 'superpeer', 'transfer')!, /does not name/);
    assert.match(peerCertificateProblem({} as never, 'superpeer', 'transfer')!, /no client certificate/);
  });
});
