// Encoded sizes of the messages a node pages or streams to clients, so each
// page or part stays under the message cap (limits.ts).
import protobuf from 'protobufjs';
import path from 'node:path';
import { PROTO_DIR, PROTO_FILES } from './proto.js';

let root: protobuf.Root | undefined;

function types(): protobuf.Root {
  if (!root) {
    const r = new protobuf.Root();
    r.resolvePath = (_origin, target) => (path.isAbsolute(target) ? target : path.join(PROTO_DIR, target));
    r.loadSync(PROTO_FILES, { keepCase: true });
    root = r;
  }
  return root;
}

/** Bytes of `value` encoded as the message `type` (e.g. "superpeer.v1.SharedFile"). */
export function wireSize(type: string, value: object): number {
  const t = types().lookupType(type);
  return t.encode(t.fromObject(value)).finish().length;
}

/** Bytes an embedded message of `size` bytes takes in a repeated field: tag, length, body. */
export function embeddedSize(size: number): number {
  let varint = 1;
  for (let n = size; n >= 0x80; n >>>= 7) varint++;
  return 1 + varint + size;
}
