// A party with write access to Redis, against a real redis-server: forged
// roles, leases, fence counters, directory entries and node records are
// refused or skipped (and reported), huge id sets are read in bounded
// samples, a deposed leader cannot decide; and the registry talks to a
// password-protected and to a TLS Redis.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { keys } from '../keys.js';
import { connectRedisRegistry, type RedisRegistry } from '../redis.js';
import { startRedis, type TestRedis } from '../redis-server.js';
import { MAX_FENCE_TOKEN, MAX_IDS_READ } from '../records.js';

const LONG_TTL_MS = 60_000;

describe('Redis written by a hostile party', () => {
  let server: TestRedis;
  let admin: Redis;
  let registry: RedisRegistry;
  const invalid: string[] = [];

  before(async () => {
    server = await startRedis();
    admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
    admin.on('error', () => undefined);
    registry = await connectRedisRegistry({ url: server.url, hooks: { onInvalidRecord: (kind) => invalid.push(kind) } });
  });
  after(async () => {
    await registry?.close();
    admin?.disconnect();
    await server?.stop();
  });

  test('a role forged with token 2^53 is not followed, and the leader overwrites it', async () => {
    await admin.flushall();
    await admin.set(keys.role('n1'), `supernode\n${2 ** 53}`, 'PX', 86_400_000);
    assert.equal(await registry.assignedRole('n1'), null);
    assert.ok(invalid.includes('role'));
    const lease = await registry.acquireLease('leader', LONG_TTL_MS);
    assert.ok(lease);
    assert.equal(await registry.assignRole('n1', 'leaf', lease.token, LONG_TTL_MS), true);
    assert.deepEqual(await registry.assignedRole('n1'), { role: 'leaf', token: lease.token });
  });

  test('acquiring under the holder\'s name returns no token; a forged lease value is not believed', async () => {
    await admin.flushall();
    const lease = await registry.acquireLease('leader', LONG_TTL_MS);
    assert.ok(lease);
    assert.equal(await registry.acquireLease('leader', LONG_TTL_MS), null);
    await admin.set(keys.lease(), `leader\n${2 ** 53}`, 'PX', LONG_TTL_MS);
    assert.equal(await registry.currentLease(), null);
    assert.equal(await registry.assignRole('n1', 'supernode', 2 ** 53, LONG_TTL_MS), false, 'a token past the fence bound is refused');
  });

  test('a corrupt or exhausted fence counter stops grants with a clear error instead of wrapping', async () => {
    await admin.flushall();
    await admin.set(keys.fence(), 'not-a-number');
    await assert.rejects(registry.acquireLease('x', LONG_TTL_MS), /FENCE_CORRUPT/);
    await admin.set(keys.fence(), String(MAX_FENCE_TOKEN));
    await assert.rejects(registry.acquireLease('x', LONG_TTL_MS), /FENCE_EXHAUSTED/);
    await admin.set(keys.fence(), '41');
    assert.equal((await registry.acquireLease('x', LONG_TTL_MS))?.token, 42, 'tokens go on from the counter');
  });

  test('forged directory entries and node records are skipped and reported; the node id set is read in bounded samples', async () => {
    await admin.flushall();
    invalid.length = 0;
    const good = { id: 'sn-good', grpcAddress: '127.0.0.1:7000', zone: 'z', leaves: 1, leafCapacity: 64, score: 50 };
    const forged: Record<string, unknown> = {
      'sn-url': { ...good, id: 'sn-url', grpcAddress: 'http://evil.example/x' },
      'sn-other-id': { ...good, id: 'sn-good' },
      'sn-score': { ...good, id: 'sn-score', score: 1e308 },
      'sn-leaves': { ...good, id: 'sn-leaves', leaves: -1, leafCapacity: 2 ** 32 - 1 },
      'sn-json': '{"id": "sn-json", "grpcAddress": ',
    };
    // Written as the directory scripts would (entry, change version, expiry), but by hand.
    const forge = async (id: string, value: string, version: number) => {
      await admin.set(keys.supernode(id), value);
      await admin.zadd(keys.supernodeChanges(), version, id);
      await admin.zadd(keys.supernodeExpiry(), Date.now() + LONG_TTL_MS, id);
    };
    await forge('sn-good', JSON.stringify(good), 1);
    let v = 2;
    for (const [id, value] of Object.entries(forged)) await forge(id, typeof value === 'string' ? value : JSON.stringify(value), v++);
    await admin.set(keys.directoryVersion(), String(v));
    assert.deepEqual(await registry.supernodes(), [good]);
    assert.equal(invalid.filter((k) => k === 'supernode').length, Object.keys(forged).length);
    const record = { id: 'n-good', grpcAddress: '127.0.0.1:7001', httpAddress: '', zone: 'z', role: 'leaf', score: 10, eligible: true, leaves: 0, leafCapacity: 64, lastChangeMs: 0 };
    await admin.set(keys.node('n-good'), JSON.stringify(record));
    await admin.set(keys.node('n-bad'), JSON.stringify({ ...record, id: 'n-bad', role: 'overlord' }));
    await admin.sadd(keys.nodeIds(), 'n-good', 'n-bad');
    assert.deepEqual((await registry.liveNodes()).map((n) => n.id), ['n-good']);
    // A set of 25,000 forged node ids: one bounded sample is read, not all of them.
    const many = Array.from({ length: 25_000 }, (_, i) => `ghost-${i}`);
    for (let i = 0; i < many.length; i += 5_000) await admin.sadd(keys.nodeIds(), ...many.slice(i, i + 5_000));
    const commands: string[] = [];
    const monitor = await admin.monitor();
    monitor.on('error', () => undefined);
    monitor.on('monitor', (_t: string, args: string[]) => commands.push(args.join(' ').slice(0, 80)));
    await registry.liveNodes();
    await new Promise((r) => setTimeout(r, 200));
    monitor.disconnect();
    assert.ok(commands.some((c) => c.startsWith(`srandmember ${keys.nodeIds()} ${MAX_IDS_READ}`)), commands.slice(0, 5).join('; '));
    assert.ok(!commands.some((c) => c.startsWith('smembers')), 'the whole set is never read');
  });
});

/** redis-server is up when its port takes a TCP connection (PING needs the password or TLS). */
function listening(port: number): Promise<boolean> {
  return import('node:net').then(
    (net) =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
        s.on('error', () => resolve(false));
      }),
  );
}

describe('Redis with a password and with TLS', () => {
  test('requirepass: the registry works with the password, fails clearly without', async () => {
    const server = await startRedis(['--requirepass', 's3cret-pass'], listening);
    try {
      const withPass = await connectRedisRegistry({ url: server.url, password: 's3cret-pass' });
      const without = await connectRedisRegistry({ url: server.url });
      try {
        await withPass.announce({ id: 'a', grpcAddress: '127.0.0.1:1', httpAddress: '', zone: 'z', role: 'leaf', score: 1, eligible: true, leaves: 0, leafCapacity: 1, lastChangeMs: 0 }, LONG_TTL_MS);
        assert.deepEqual((await withPass.liveNodes()).map((n) => n.id), ['a']);
        await assert.rejects(without.liveNodes(), /NOAUTH|Authentication|registry/);
      } finally {
        await withPass.close();
        await without.close();
      }
    } finally {
      await server.stop();
    }
  });

  test('rediss:// with a private CA: the registry verifies the server and works', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'redis-tls-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=redis-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
    await writeFile(path.join(dir, 'redis.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=redis', '-keyout', 'redis.key', '-out', 'redis.csr');
    openssl('x509', '-req', '-in', 'redis.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'redis.ext', '-out', 'redis.crt');
    // TLS only: the plain port is 0; the free port found goes to --tls-port.
    const port = await import('node:net').then((net) => new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as import('node:net').AddressInfo).port;
        s.close(() => resolve(p));
      });
    }));
    const server = await startRedis(
      ['--tls-port', String(port), '--port', '0', '--tls-cert-file', path.join(dir, 'redis.crt'), '--tls-key-file', path.join(dir, 'redis.key'), '--tls-ca-cert-file', path.join(dir, 'ca.crt'), '--tls-auth-clients', 'no'],
      () => listening(port),
    );
    try {
      const ca = await readFile(path.join(dir, 'ca.crt'));
      const registry = await connectRedisRegistry({ url: `rediss://127.0.0.1:${port}`, tlsCa: ca });
      const unverified = await connectRedisRegistry({ url: `rediss://127.0.0.1:${port}` });
      try {
        let up = false;
        for (let i = 0; i < 50 && !up; i++) {
          up = (await registry.health()).up;
          if (!up) await new Promise((r) => setTimeout(r, 100));
        }
        assert.ok(up, 'TLS registry up');
        await registry.setSupernode({ id: 's', grpcAddress: '127.0.0.1:2', zone: 'z', leaves: 0, leafCapacity: 1, score: 1 }, LONG_TTL_MS);
        assert.deepEqual((await registry.supernodes()).map((e) => e.id), ['s']);
        assert.equal((await unverified.health()).up, false, 'a server certificate from an unknown CA is refused');
      } finally {
        await registry.close();
        await unverified.close();
      }
    } finally {
      await server.stop();
    }
  });
});
