// Colour for human output: only when the stream is a terminal, never with
// NO_COLOR set (https://no-color.org) or TERM=dumb. JSON, DOT and piped
// output stay plain.

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], magenta: [35, 39], cyan: [36, 39] } as const;

export type Style = keyof typeof CODES;
export type Paint = (style: Style, text: string) => string;

/** Leaves text as it is. */
export const plain: Paint = (_style, text) => text;

const ansi: Paint = (style, text) => (text === '' ? text : `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`);

export function colourEnabled(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** The painter for a stream: ANSI colours on a terminal, plain otherwise. */
export function paintFor(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): Paint {
  return colourEnabled(stream, env) ? ansi : plain;
}

/** Role names in one colour each, everywhere. */
export function paintRole(paint: Paint, role: string, text = role): string {
  return role === 'supernode' ? paint('magenta', text) : role === 'leaf' ? paint('cyan', text) : text;
}
