// A leaf's share list on the wire, cut into ShareUpdate messages that each
// stay under the message cap: the first carries `reset`, the rest add on.
import type { ShareUpdate } from '../core/supernode.js';
import type { LeafMessage } from './generated/superpeer/v1/LeafMessage.js';
import { ANSWER_PART_BYTES } from './limits.js';
import { embeddedSize, wireSize } from './wire-size.js';

export function shareMessages(u: ShareUpdate, budgetBytes = ANSWER_PART_BYTES): LeafMessage[] {
  const out: LeafMessage[] = [];
  let add: Array<{ sha256: string; name: string; size: number }> = [];
  let remove: string[] = [];
  let room = budgetBytes;
  const flush = () => {
    out.push({ shares: { add, remove, reset: u.reset && out.length === 0 } });
    add = [];
    remove = [];
    room = budgetBytes;
  };
  for (const f of u.add) {
    const file = { sha256: f.sha256, name: f.name, size: f.size };
    const size = embeddedSize(wireSize('superpeer.v1.SharedFile', file));
    if (size > room) flush();
    add.push(file);
    room -= size;
  }
  for (const sha of u.remove) {
    const size = 2 + Buffer.byteLength(sha);
    if (size > room) flush();
    remove.push(sha);
    room -= size;
  }
  if (add.length > 0 || remove.length > 0 || out.length === 0) flush();
  return out;
}
