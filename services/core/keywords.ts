// Keyword normalisation shared by the index, queries and query routing
// tables, so a term means the same thing everywhere.

/** Shorter tokens match too much to be worth indexing (Gnutella servents skip them too). */
export const MIN_TOKEN_LENGTH = 2;
export const MAX_TOKEN_LENGTH = 64;

/** Lower-case, strip diacritics, split on anything not a letter or digit. */
export function tokenize(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const out: string[] = [];
  for (const raw of folded.split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length >= MIN_TOKEN_LENGTH && raw.length <= MAX_TOKEN_LENGTH) out.push(raw);
  }
  return out;
}

/** Distinct tokens of a text, in first-seen order. */
export function uniqueTokens(text: string): string[] {
  return [...new Set(tokenize(text))];
}
