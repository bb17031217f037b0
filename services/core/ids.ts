// Descriptor and servent IDs: 16 bytes, written as 32 lowercase hex digits.
import type { DescriptorId } from './descriptor.js';

const HEX = '0123456789abcdef';
export const ID_PATTERN = /^[0-9a-f]{32}$/;
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/**
 * A new descriptor ID. Gnutella 0.6 asks modern servents to set byte 8 to
 * 0xff and byte 15 to 0x00, which marks them apart from old servents.
 */
export function newDescriptorId(random: () => number): DescriptorId {
  let id = '';
  for (let i = 0; i < 16; i++) {
    let byte = Math.floor(random() * 256) & 0xff;
    if (i === 8) byte = 0xff;
    if (i === 15) byte = 0x00;
    id += HEX[byte >> 4] + HEX[byte & 15];
  }
  return id;
}

export function isDescriptorId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function isSha256(hash: string): boolean {
  return SHA256_PATTERN.test(hash);
}
