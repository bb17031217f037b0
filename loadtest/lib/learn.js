// @ts-check
// Search terms from what the overlay really shares: setup() asks the target for
// its Topology (a crawl over Status calls that lists every node's files) and
// turns file names into queries the way a user types them, ranked the way the
// Node benchmark harness ranks them: a name held by more nodes is more popular;
// a name held by one node is rare. No k6 imports.

/** Nodes the crawl may visit: enough to rank names, small enough for one response. */
export const TERMS_CRAWL_NODES = 200;
/** Longest term lists kept: the Zipf head decides the load, the tail is rarely drawn. */
export const MAX_POPULAR_TERMS = 500;
export const MAX_RARE_TERMS = 200;

// The node's tokenizer (services/core/keywords.ts) keeps letters and digits,
// lower-cased, 2 to 64 characters long. Names with other letters are skipped
// here rather than guessed (it folds diacritics, which ES2017 cannot portably).
const MIN_TOKEN = 2;
const MAX_TOKEN = 64;
const SEPARATORS = /[\s!-\/:-@\[-`{-~]+/;
const ASCII_WORD = /^[a-z0-9]+$/;

/**
 * A file name as a user would type it: its words without the extension, or ''
 * when it has no word the node would index the same way.
 * @param {string} fileName
 * @returns {string}
 */
export function queryOf(fileName) {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  /** @type {string[]} */
  const words = [];
  for (const raw of stem.toLowerCase().split(SEPARATORS)) {
    if (raw === '') continue;
    if (!ASCII_WORD.test(raw)) return '';
    if (raw.length >= MIN_TOKEN && raw.length <= MAX_TOKEN) words.push(raw);
  }
  return words.join(' ');
}

/**
 * @typedef {object} TopologyFile
 * @property {string} [sha256]
 * @property {string} [name]
 */

/**
 * @typedef {object} TopologyNode TopologyResponse.nodes[] in protobuf JSON (zero values may be missing)
 * @property {string} [id]
 * @property {TopologyFile[]} [files]
 */

/**
 * @typedef {object} LearnedTerms
 * @property {string[]} popular names held by two or more nodes other than the target, most held first
 * @property {string[]} rare names held by exactly one node, not the target
 * @property {number} nodes nodes the crawl reported
 * @property {number} files distinct files seen
 */

/**
 * Rank the names the overlay shares. The target's own files are not counted
 * as sources: a node does not answer its own searches, so a name only the
 * target holds would find nothing from there.
 * @param {{ nodes?: TopologyNode[] }} topology
 * @param {string} targetId the target's node id (Status), '' if unknown
 * @returns {LearnedTerms}
 */
export function termsFromTopology(topology, targetId) {
  const nodes = Array.isArray(topology.nodes) ? topology.nodes : [];
  /** @type {Map<string, { query: string, holders: number }>} */
  const byHash = new Map();
  for (const node of nodes) {
    const files = Array.isArray(node.files) ? node.files : [];
    const self = targetId !== '' && node.id === targetId;
    /** @type {Set<string>} */
    const seenHere = new Set();
    for (const f of files) {
      const sha = f.sha256 || '';
      const query = queryOf(f.name || '');
      if (sha === '' || query === '' || seenHere.has(sha)) continue;
      seenHere.add(sha);
      let entry = byHash.get(sha);
      if (entry === undefined) {
        entry = { query, holders: 0 };
        byHash.set(sha, entry);
      }
      if (!self) entry.holders += 1;
    }
  }
  // One query can name several files: it finds the holders of all of them.
  /** @type {Map<string, number>} */
  const holdersOf = new Map();
  byHash.forEach((entry) => {
    holdersOf.set(entry.query, (holdersOf.get(entry.query) || 0) + entry.holders);
  });
  /** @type {Array<[string, number]>} */
  const ranked = [];
  holdersOf.forEach((holders, query) => {
    if (holders > 0) ranked.push([query, holders]);
  });
  ranked.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    popular: ranked.filter((r) => r[1] >= 2).slice(0, MAX_POPULAR_TERMS).map((r) => r[0]),
    rare: ranked.filter((r) => r[1] === 1).slice(0, MAX_RARE_TERMS).map((r) => r[0]),
    nodes: nodes.length,
    files: byHash.size,
  };
}

/**
 * The lists a run searches: the given ones, the rest learned from the target.
 * `learn` is called only when a list is missing. Fails with a message saying
 * what to do when the overlay shares nothing to search for.
 * @param {import('./env.js').GivenTerms} given
 * @param {() => LearnedTerms} learn
 * @param {number} rareFraction share of rare searches: at 1 no popular term is needed
 * @returns {{ popular: string[], rare: string[], source: string }}
 */
export function resolveTerms(given, learn, rareFraction) {
  if (given.popular !== null && given.rare !== null) {
    return { popular: given.popular, rare: given.rare, source: 'given' };
  }
  const learned = learn();
  const popular = given.popular !== null ? given.popular : learned.popular;
  const rare = given.rare !== null ? given.rare : learned.rare;
  if (popular.length === 0 && rare.length === 0) {
    throw new Error(
      `the target's overlay (${learned.nodes} nodes crawled, ${learned.files} files) shares no name to search for: ` +
        'give TERMS or TERMS_FILE, or BUILTIN_TERMS=1 for the built-in lists',
    );
  }
  if (given.popular === null && popular.length === 0 && rareFraction < 1) {
    throw new Error(
      `no file is held by two or more nodes in the target's overlay (${learned.nodes} nodes, ${learned.files} files), ` +
        'so there is no popular term to search for: give TERMS or TERMS_FILE, or RARE_FRACTION=1',
    );
  }
  return { popular, rare, source: `learned from ${learned.nodes} nodes, ${learned.files} files` };
}
