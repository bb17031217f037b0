// @ts-check
// Stair-step stages for a ramping-arrival-rate search: each step ramps to a
// higher rate and holds it, so every rate gets a plateau long enough to read
// its latency. No k6 imports.

/**
 * @typedef {object} Stage a k6 ramping-arrival-rate stage
 * @property {string} duration
 * @property {number} target iterations per timeUnit at the end of the stage
 */

/**
 * @typedef {object} Step one plateau of the ramp
 * @property {number} index 1-based
 * @property {number} rate iterations per second held during the plateau
 * @property {number} startMs offset of the step's ramp from the start of the scenario
 * @property {number} endMs offset of the end of its plateau
 */

const UNIT_MS = /** @type {Record<string, number>} */ ({ ms: 1, s: 1000, m: 60 * 1000, h: 60 * 60 * 1000 });

/**
 * Milliseconds of a k6 duration string ("1m30s", "500ms").
 * @param {string} text
 * @returns {number}
 */
export function durationMs(text) {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    consumed += m[0].length;
  }
  if (consumed === 0 || consumed !== text.length) throw new Error(`not a k6 duration: ${text}`);
  return total;
}

/**
 * The rates of the ramp: `steps` rates from `startRate` to `peakRate`, evenly spaced, rounded.
 * @param {number} startRate
 * @param {number} peakRate
 * @param {number} steps >= 1
 * @returns {number[]}
 */
export function stepRates(startRate, peakRate, steps) {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  if (!(startRate >= 1) || !(peakRate >= startRate)) throw new RangeError(`need 1 <= startRate <= peakRate, got ${startRate}..${peakRate}`);
  if (steps === 1) return [peakRate];
  /** @type {number[]} */
  const rates = [];
  for (let i = 0; i < steps; i++) rates.push(Math.round(startRate + ((peakRate - startRate) * i) / (steps - 1)));
  return rates;
}

/**
 * @param {readonly number[]} rates
 * @param {string} rampDuration time to move from one rate to the next
 * @param {string} holdDuration time each rate is held
 * @returns {{ stages: Stage[], steps: Step[] }}
 */
export function stairStages(rates, rampDuration, holdDuration) {
  const rampMs = durationMs(rampDuration);
  const holdMs = durationMs(holdDuration);
  /** @type {Stage[]} */
  const stages = [];
  /** @type {Step[]} */
  const steps = [];
  let at = 0;
  rates.forEach((rate, i) => {
    stages.push({ duration: rampDuration, target: rate }, { duration: holdDuration, target: rate });
    steps.push({ index: i + 1, rate, startMs: at, endMs: at + rampMs + holdMs });
    at += rampMs + holdMs;
  });
  return { stages, steps };
}

/**
 * The step running `elapsedMs` after the scenario started (the last one after the end).
 * @param {readonly Step[]} steps
 * @param {number} elapsedMs
 * @returns {Step}
 */
export function stepAt(steps, elapsedMs) {
  for (const step of steps) if (elapsedMs < step.endMs) return step;
  return steps[steps.length - 1];
}
