// The real world as a core Environment: wall-clock time, crypto randomness,
// real timers, and sends through the node's streams.
import { randomFillSync } from 'node:crypto';
import type { Descriptor } from '../core/descriptor.js';
import type { Environment, LinkId, Observation } from '../core/environment.js';

const POOL = new Uint32Array(256);
let next = POOL.length;

/** Uniform in [0, 1) from the OS generator, refilled in batches. */
export function cryptoRandom(): number {
  if (next >= POOL.length) {
    randomFillSync(POOL);
    next = 0;
  }
  return POOL[next++] / 4294967296;
}

export function runtimeEnvironment(
  send: (link: LinkId, d: Descriptor) => void,
  observe: (o: Observation) => void,
): Environment {
  return {
    now: () => Date.now(),
    random: cryptoRandom,
    send,
    observe,
    setTimer(afterMs, fire) {
      const t = setTimeout(fire, afterMs);
      t.unref();
      return { cancel: () => clearTimeout(t) };
    },
  };
}
