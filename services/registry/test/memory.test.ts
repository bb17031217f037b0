import { registryContract } from './contract.js';
import { MemoryRegistry } from '../memory.js';

// Virtual time: expiry is driven by advancing the injected clock, no waiting.
registryContract(
  'memory',
  async (hooks) => {
    let now = 1_000_000;
    const registry = new MemoryRegistry({ now: () => now, hooks });
    return {
      registry,
      peer: async () => registry,
      elapse: async (ms) => {
        now += ms;
      },
      outage: {
        begin: async () => registry.setAvailable(false),
        end: async () => registry.setAvailable(true),
      },
    };
  },
  async (f) => {
    await f.registry.close();
  },
);
