// Load-balance measures over per-node loads (e.g. leaves per supernode).
// Shared by the CLI's topology view, the simulator and the metrics tests.

/** Population standard deviation divided by the mean; 0 for no values or a zero mean. */
export function coefficientOfVariation(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return 0;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (mean === 0) return 0;
  const variance = xs.reduce((acc, x) => acc + (x - mean) ** 2, 0) / n;
  return Math.sqrt(variance) / mean;
}

/**
 * Jain's fairness index (Σx)² / (n·Σx²): 1 when all loads are equal, 1/n when
 * one node carries everything. No values or all zeros count as perfectly fair (1).
 */
export function jainFairness(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return 1;
  const sum = xs.reduce((a, b) => a + b, 0);
  const sumSq = xs.reduce((a, b) => a + b * b, 0);
  if (sumSq === 0) return 1;
  return (sum * sum) / (n * sumSq);
}
