// Timers of the control plane: slow, jittered, backing off. A thousand
// nodes started together must not poll in step, and a node that cannot
// reach anything must not retry in a tight loop. Pure: randomness injected.

/** ±20 %: enough to spread nodes started in the same second within a few periods. */
export const JITTER_FRACTION = 0.2;

/** `ms` spread uniformly over ±fraction. */
export function jittered(ms: number, random: () => number, fraction = JITTER_FRACTION): number {
  return Math.max(0, Math.round(ms * (1 - fraction + 2 * fraction * random())));
}

/** Capped exponential backoff, jittered: attempt 0 waits about `minMs`. */
export function backoffMs(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  return jittered(Math.min(maxMs, minMs * 2 ** Math.min(Math.max(0, attempt), 20)), random);
}
