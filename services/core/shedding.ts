// Load shedding by a supernode: when it holds far more leaves than the
// overlay's mean, it redirects its newest leaves (with alternatives), so
// leaves that herded onto it spread out again. Pure.

/** Leaves above this multiple of the mean load (plus one) are redirected. */
export const SHED_ABOVE_MEAN = 1.15;

/** How many leaves to redirect now, given its own load and the others' (from the directory). */
export function shedCount(own: number, others: readonly number[]): number {
  const loads = [...others, own];
  const mean = loads.reduce((a, b) => a + b, 0) / loads.length;
  return Math.max(0, own - (Math.ceil(mean * SHED_ABOVE_MEAN) + 1));
}
