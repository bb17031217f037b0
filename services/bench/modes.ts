// Which search modes the real node implements. The node's config accepts
// every mode name, but a mode counts as available only when the node module
// says it implements it (IMPLEMENTED_MODES); until then a benchmark reports
// the mode as not available instead of measuring the default mode twice.
import * as nodeModule from '../node/node.js';

export type RealMode = 'supernode' | 'flood' | 'central' | 'dht';

export function implementedModes(): RealMode[] {
  const declared = (nodeModule as Record<string, unknown>).IMPLEMENTED_MODES;
  if (Array.isArray(declared)) return declared.filter((m): m is RealMode => typeof m === 'string');
  return ['supernode'];
}

export function modeAvailable(mode: RealMode): boolean {
  return implementedModes().includes(mode);
}
