// HTTP Range (RFC 9110 §14) for one byte range: `bytes=a-b`, `bytes=a-`, `bytes=-n`.
// A multi-range request is ignored (the whole file is sent with 200), which
// RFC 9110 allows; downloaders here always ask for one range.

export type RangeResult =
  | { kind: 'none' } // no Range header, or one we ignore: send everything
  | { kind: 'range'; start: number; end: number } // inclusive
  | { kind: 'malformed' }
  | { kind: 'unsatisfiable' };

/** Longer numbers are beyond any file we share and beyond exact doubles. */
const MAX_DIGITS = 15;
const SINGLE = /^bytes=(\d*)-(\d*)$/;

export function parseRange(header: string | undefined, size: number): RangeResult {
  if (header === undefined) return { kind: 'none' };
  const value = header.trim();
  if (/^bytes=.*,/.test(value)) return { kind: 'none' };
  const m = SINGLE.exec(value);
  if (!m) return { kind: 'malformed' };
  const [, a, b] = m;
  if (a.length > MAX_DIGITS || b.length > MAX_DIGITS || (a === '' && b === '')) return { kind: 'malformed' };
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Number(b);
  if (b !== '' && end < start) return { kind: 'malformed' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end: Math.min(end, size - 1) };
}
