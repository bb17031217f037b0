import { after, before } from 'node:test';
import { Redis } from 'ioredis';
import { registryContract } from './contract.js';
import { connectRedisRegistry } from '../redis.js';
import type { Registry } from '../registry.js';
import { startRedis, type TestRedis } from '../redis-server.js';

// One real redis-server for the file, flushed before each test.
let server: TestRedis;
before(async () => {
  server = await startRedis();
});
after(async () => {
  await server.stop();
});

const clients: Registry[] = [];

registryContract(
  'redis',
  async (hooks) => {
    const admin = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await admin.flushall();
    admin.disconnect();
    const registry = await connectRedisRegistry({ url: server.url, hooks });
    clients.push(registry);
    return {
      registry,
      peer: async () => {
        const other = await connectRedisRegistry({ url: server.url });
        clients.push(other);
        return other;
      },
      // Real time: the contract polls with bounded steps.
      elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      outage: {
        begin: () => server.stop(),
        end: () => server.restart(),
      },
    };
  },
  async () => {
    for (const c of clients.splice(0)) await c.close();
  },
);
