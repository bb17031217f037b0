// Under mutual TLS a servent ID is bound to the certificate that first
// claimed it: after its holder leaves, another certificate of the same CA
// may not take it (for BINDING_TTL_MS), the holder's own certificate may.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { SuperpeerNode } from '../node.js';
import { WIRE_VERSION, peerToWire } from '../codec.js';
import { loadProto } from '../proto.js';
import type { SupernodeMessage__Output } from '../generated/superpeer/v1/SupernodeMessage.js';
import { startNode, stopAll } from './nodes.js';

const openssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });

async function cert(dir: string, name: string): Promise<{ cert: string; key: string }> {
  await writeFile(path.join(dir, `${name}.ext`), 'subjectAltName=DNS:superpeer,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(dir, 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
}

let dir: string;
let sn: SuperpeerNode;
const nodes: SuperpeerNode[] = [];

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'superpeer-idpki-'));
  openssl(dir, 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=id-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  const own = await cert(dir, 'sn');
  sn = await startNode({ id: 'id-sn', role: 'supernode', tlsCa: path.join(dir, 'ca.crt'), tlsCert: own.cert, tlsKey: own.key });
  nodes.push(sn);
});
after(() => stopAll(nodes));

/** Attaches with `files` claiming `serventId`; resolves with the first answer and a close. */
async function attachAs(files: { cert: string; key: string }, serventId: string) {
  const { pkg } = loadProto();
  const creds = grpc.credentials.createSsl(await readFile(path.join(dir, 'ca.crt')), await readFile(files.key), await readFile(files.cert));
  const client = new pkg.superpeer.v1.Overlay(sn.grpcAddress, creds, { 'grpc.ssl_target_name_override': 'superpeer' });
  const call = client.Attach();
  call.on('error', () => undefined);
  const first = new Promise<string>((resolve) => {
    call.on('data', (m: SupernodeMessage__Output) => resolve(m.body ?? ''));
    call.on('status', (s) => resolve(`${grpc.status[s.code]} ${s.details}`));
  });
  const me = { nodeId: `leaf-${path.basename(files.cert)}`, serventId, zone: 'z', grpcAddress: '127.0.0.1:1', httpAddress: '', firewalled: true, score: 0, role: 'leaf' as const, leafCapacity: 0 };
  call.write({ hello: { node: peerToWire(me), secret: '', wire_version: WIRE_VERSION } });
  return {
    first: await first,
    close: async () => {
      call.cancel();
      client.close();
      // The supernode sees the stream end.
      for (let i = 0; i < 500 && (sn.core as { leafCount: number }).leafCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    },
  };
}

test('a servent ID stays bound to its certificate after the holder leaves', async () => {
  const a = await cert(dir, 'leaf-a');
  const b = await cert(dir, 'leaf-b');
  const sid = '5e'.repeat(16);
  const holder = await attachAs(a, sid);
  assert.equal(holder.first, 'welcome');
  await holder.close();
  const thief = await attachAs(b, sid);
  assert.match(thief.first, /^ALREADY_EXISTS IDENTITY_TAKEN/);
  await thief.close();
  const back = await attachAs(a, sid);
  assert.equal(back.first, 'welcome', 'the holder reconnects with its own certificate');
  await back.close();
  const other = await attachAs(b, '6f'.repeat(16));
  assert.equal(other.first, 'welcome', 'a free servent ID is anyone\'s');
  await other.close();
});
