// Original file: proto/superpeer/v1/descriptor.proto

import type { Header as _superpeer_v1_Header, Header__Output as _superpeer_v1_Header__Output } from '../../superpeer/v1/Header.js';

export interface Descriptor {
  'header'?: (_superpeer_v1_Header | null);
  'payload'?: (Buffer | Uint8Array | string);
}

export interface Descriptor__Output {
  'header': (_superpeer_v1_Header__Output | null);
  'payload': (Buffer);
}
