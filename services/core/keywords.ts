// Keyword normalisation shared by the index, queries and query routing
// tables, so a term means the same thing everywhere.

/** Shorter tokens match too much to be worth indexing (Gnutella servents skip them too). */
export const MIN_TOKEN_LENGTH = 2;
export const MAX_TOKEN_LENGTH = 64;
/** Texts whose tokens are remembered: a file name is tokenised by every uplink, a query by every supernode it crosses. Cleared when full. */
export const TOKEN_CACHE_MAX_ENTRIES = 50_000;
/** Longer texts are tokenised every time, so a hostile peer cannot make the cache large. */
export const TOKEN_CACHE_MAX_TEXT_CHARS = 256;
/** Characters of text held by one cache (about 4 MiB of strings and tokens); cleared when past it. */
export const TOKEN_CACHE_MAX_CHARS = 2_000_000;

const tokenCache = new Map<string, readonly string[]>();
const uniqueCache = new Map<string, readonly string[]>();
const cachedChars = new Map<Map<string, readonly string[]>, number>([
  [tokenCache, 0],
  [uniqueCache, 0],
]);

/** Lower-case, strip diacritics, split on anything not a letter or digit. */
export function tokenize(text: string): string[] {
  let tokens = tokenCache.get(text);
  if (tokens === undefined) {
    tokens = split(text);
    remember(tokenCache, text, tokens);
  }
  // A copy: callers may keep or change what they get.
  return tokens.slice();
}

/** Distinct tokens of a text, in first-seen order. */
export function uniqueTokens(text: string): string[] {
  let tokens = uniqueCache.get(text);
  if (tokens === undefined) {
    tokens = [...new Set(tokenize(text))];
    remember(uniqueCache, text, tokens);
  }
  return tokens.slice();
}

function split(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const out: string[] = [];
  for (const raw of folded.split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length >= MIN_TOKEN_LENGTH && raw.length <= MAX_TOKEN_LENGTH) out.push(raw);
  }
  return out;
}

function remember(cache: Map<string, readonly string[]>, text: string, tokens: readonly string[]): void {
  if (text.length > TOKEN_CACHE_MAX_TEXT_CHARS) return;
  const chars = cachedChars.get(cache)! + text.length;
  if (cache.size >= TOKEN_CACHE_MAX_ENTRIES || chars > TOKEN_CACHE_MAX_CHARS) {
    cache.clear();
    cachedChars.set(cache, text.length);
  } else {
    cachedChars.set(cache, chars);
  }
  cache.set(text, tokens);
}
