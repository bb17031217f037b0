// Original file: proto/superpeer/v1/descriptor.proto

import type { FileResult as _superpeer_v1_FileResult, FileResult__Output as _superpeer_v1_FileResult__Output } from '../../superpeer/v1/FileResult.js';

export interface QueryHit {
  'servent_id'?: (Buffer | Uint8Array | string);
  'node_id'?: (string);
  'http_address'?: (string);
  'firewalled'?: (boolean);
  'zone'?: (string);
  'results'?: (_superpeer_v1_FileResult)[];
  'path'?: (string)[];
  'query_hops'?: (number);
}

export interface QueryHit__Output {
  'servent_id': (Buffer);
  'node_id': (string);
  'http_address': (string);
  'firewalled': (boolean);
  'zone': (string);
  'results': (_superpeer_v1_FileResult__Output)[];
  'path': (string)[];
  'query_hops': (number);
}
