// @ts-check
// The operation mix of mixed.js: "search=60,locate=20,status=15,download=5".
// No k6 imports.

/** The operations mixed.js knows. */
export const OPERATIONS = Object.freeze(['search', 'locate', 'status', 'download']);
export const DEFAULT_MIX = 'search=60,locate=20,status=15,download=5';

/**
 * @typedef {object} MixEntry
 * @property {string} op
 * @property {number} upTo cumulative share, the last entry ends at 1
 */

/**
 * @param {string} text comma-separated op=weight pairs, weights >= 0, not all 0
 * @returns {MixEntry[]}
 */
export function parseMix(text) {
  /** @type {Array<[string, number]>} */
  const pairs = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [op, weightText] = part.split('=').map((s) => s.trim());
    const weight = Number(weightText);
    if (!OPERATIONS.includes(op)) throw new Error(`MIX: unknown operation "${op}" (known: ${OPERATIONS.join(', ')})`);
    if (!Number.isFinite(weight) || weight < 0) throw new Error(`MIX: weight of ${op} must be a number >= 0, got "${weightText}"`);
    if (pairs.some(([seen]) => seen === op)) throw new Error(`MIX: ${op} given twice`);
    pairs.push([op, weight]);
  }
  const total = pairs.reduce((sum, [, w]) => sum + w, 0);
  if (total <= 0) throw new Error(`MIX: weights must not all be zero: "${text}"`);
  let acc = 0;
  return pairs.filter(([, w]) => w > 0).map(([op, w]) => {
    acc += w;
    return { op, upTo: acc / total };
  });
}

/**
 * @param {readonly MixEntry[]} mix
 * @param {number} u uniform in [0, 1)
 * @returns {string}
 */
export function pickOp(mix, u) {
  for (const entry of mix) if (u < entry.upTo) return entry.op;
  return mix[mix.length - 1].op;
}
