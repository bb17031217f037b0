// Original file: proto/superpeer/v1/descriptor.proto

import type { PayloadType as _superpeer_v1_PayloadType, PayloadType__Output as _superpeer_v1_PayloadType__Output } from '../../superpeer/v1/PayloadType.js';

export interface Header {
  'descriptor_id'?: (Buffer | Uint8Array | string);
  'payload_type'?: (_superpeer_v1_PayloadType);
  'ttl'?: (number);
  'hops'?: (number);
  'payload_length'?: (number);
}

export interface Header__Output {
  'descriptor_id': (Buffer);
  'payload_type': (_superpeer_v1_PayloadType__Output);
  'ttl': (number);
  'hops': (number);
  'payload_length': (number);
}
