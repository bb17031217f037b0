// @ts-check
// Search terms and a Zipf sampler. Plain JavaScript with no k6 imports, so
// Node tests import it as it is and k6 runs it unchanged (ES2017: see README).

/**
 * Popular terms, most popular first: rank k is drawn with weight 1/k^s.
 * File-sharing query logs follow a Zipf law with s close to 1.
 * @type {readonly string[]}
 */
export const POPULAR_TERMS = Object.freeze([
  'mp3', 'live', 'remix', 'mix', 'album', 'video', 'ogg', 'flac', 'radio', 'love',
  'night', 'dance', 'rock', 'jazz', 'blues', 'house', 'piano', 'guitar', 'acoustic', 'demo',
  'concert', 'session', 'edit', 'summer', 'dream', 'city', 'river', 'blue', 'fire', 'rain',
  'sun', 'moon', 'star', 'heart', 'road', 'song', 'track', 'intro', 'theme', 'suite',
]);

/**
 * Rare terms: few files match, so a search for one usually runs to its deadline
 * or its TTL horizon. The share of them is set by `rareFraction`.
 * @type {readonly string[]}
 */
export const RARE_TERMS = Object.freeze([
  'bootleg', 'rehearsal', 'outtake', 'harpsichord', 'theremin', 'madrigal', 'gamelan',
  'shoegaze', 'krautrock', 'zydeco', 'sitar', 'bandoneon', 'glockenspiel', 'ocarina',
  'didgeridoo', 'balalaika', 'cimbalom', 'koto', 'kalimba', 'marimba',
]);

/** Query classes, used as a k6 tag so latencies can be split by class. */
export const KIND_POPULAR = 'popular';
export const KIND_RARE = 'rare';

/**
 * Cumulative Zipf weights: cdf[k] = sum_{i<=k} 1/(i+1)^s, normalised to end at 1.
 * @param {number} count number of ranks, > 0
 * @param {number} exponent Zipf exponent s, >= 0 (0 = uniform)
 * @returns {number[]}
 */
export function zipfCdf(count, exponent) {
  if (!Number.isInteger(count) || count <= 0) throw new RangeError(`zipf: count must be a positive integer, got ${count}`);
  if (!Number.isFinite(exponent) || exponent < 0) throw new RangeError(`zipf: exponent must be >= 0, got ${exponent}`);
  /** @type {number[]} */
  const cdf = [];
  let sum = 0;
  for (let k = 1; k <= count; k++) {
    sum += 1 / Math.pow(k, exponent);
    cdf.push(sum);
  }
  return cdf.map((c) => c / sum);
}

/**
 * Smallest index whose cumulative weight exceeds u (binary search).
 * @param {readonly number[]} cdf
 * @param {number} u uniform in [0, 1)
 * @returns {number}
 */
export function pickIndex(cdf, u) {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * @typedef {object} TermPick
 * @property {string} term the query text
 * @property {string} kind KIND_POPULAR or KIND_RARE
 */

/**
 * @typedef {object} TermSamplerOptions
 * @property {readonly string[]} [popular] ranked, most popular first
 * @property {readonly string[]} [rare] drawn uniformly
 * @property {number} [exponent] Zipf exponent of the popular terms (default 1)
 * @property {number} [rareFraction] share of queries for a rare term, 0..1 (default 0.1)
 */

/**
 * A sampler of query terms: Zipf over the popular list, uniform over the rare
 * list. `random` is passed in (Math.random in k6, a seeded one in tests).
 * @param {TermSamplerOptions} [options]
 * @returns {{ pick: (random: () => number) => TermPick, popular: readonly string[], rare: readonly string[] }}
 */
export function termSampler(options = {}) {
  const popular = options.popular === undefined ? POPULAR_TERMS : options.popular;
  const rare = options.rare === undefined ? RARE_TERMS : options.rare;
  const exponent = options.exponent === undefined ? 1 : options.exponent;
  const rareFraction = rare.length === 0 ? 0 : options.rareFraction === undefined ? 0.1 : options.rareFraction;
  if (popular.length === 0 && rare.length === 0) throw new RangeError('terms: no terms to search for');
  if (!(rareFraction >= 0 && rareFraction <= 1)) throw new RangeError(`terms: rareFraction must be in [0, 1], got ${rareFraction}`);
  const effectiveRare = popular.length === 0 ? 1 : rareFraction;
  const cdf = popular.length > 0 ? zipfCdf(popular.length, exponent) : [];
  return {
    popular,
    rare,
    pick(random) {
      if (random() < effectiveRare) {
        const i = Math.min(rare.length - 1, Math.floor(random() * rare.length));
        return { term: rare[i], kind: KIND_RARE };
      }
      return { term: popular[pickIndex(cdf, random())], kind: KIND_POPULAR };
    },
  };
}

/**
 * Parse a term list: comma- or newline-separated, trimmed, blanks and
 * `#` comment lines dropped, duplicates removed (first one keeps its rank).
 * @param {string} text
 * @returns {string[]}
 */
export function parseTermList(text) {
  /** @type {string[]} */
  const out = [];
  for (const raw of text.split(/[\n,]/)) {
    const term = raw.trim();
    if (term === '' || term.startsWith('#') || out.includes(term)) continue;
    out.push(term);
  }
  return out;
}

/**
 * The sampler of a VU, built once from what setup() returned.
 * @param {{ sampler: ReturnType<typeof termSampler> | null }} state per-VU
 * @param {{ popular: string[], rare: string[] }} data setup()'s terms
 * @param {{ zipfExponent: number, rareFraction: number }} config
 * @returns {ReturnType<typeof termSampler>}
 */
export function vuSampler(state, data, config) {
  if (state.sampler === null) {
    if (!data || !Array.isArray(data.popular) || !Array.isArray(data.rare)) {
      throw new Error('no search terms: setup() did not run (the scenarios need it; k6 run --no-setup cannot run them)');
    }
    state.sampler = termSampler({
      popular: data.popular,
      rare: data.rare,
      exponent: config.zipfExponent,
      rareFraction: config.rareFraction,
    });
  }
  return state.sampler;
}
