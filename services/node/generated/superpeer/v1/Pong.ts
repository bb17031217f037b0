// Original file: proto/superpeer/v1/descriptor.proto

import type { Long } from '@grpc/proto-loader';

export interface Pong {
  'servent_id'?: (Buffer | Uint8Array | string);
  'node_id'?: (string);
  'grpc_address'?: (string);
  'role'?: (string);
  'zone'?: (string);
  'files_shared'?: (number);
  'kbytes_shared'?: (number | string | Long);
  'leaves'?: (number);
  'leaf_capacity'?: (number);
  'score'?: (number | string);
}

export interface Pong__Output {
  'servent_id': (Buffer);
  'node_id': (string);
  'grpc_address': (string);
  'role': (string);
  'zone': (string);
  'files_shared': (number);
  'kbytes_shared': (number);
  'leaves': (number);
  'leaf_capacity': (number);
  'score': (number);
}
