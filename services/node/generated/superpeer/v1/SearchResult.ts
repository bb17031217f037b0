// Original file: proto/superpeer/v1/overlay.proto

import type { Long } from '@grpc/proto-loader';

export interface SearchResult {
  'name'?: (string);
  'size'?: (number | string | Long);
  'sha256'?: (string);
  'node_id'?: (string);
  'http_address'?: (string);
  'firewalled'?: (boolean);
  'hops'?: (number);
  'zone'?: (string);
  'path'?: (string)[];
  'servent_id'?: (string);
  'elapsed_ms'?: (number);
}

export interface SearchResult__Output {
  'name': (string);
  'size': (number);
  'sha256': (string);
  'node_id': (string);
  'http_address': (string);
  'firewalled': (boolean);
  'hops': (number);
  'zone': (string);
  'path': (string)[];
  'servent_id': (string);
  'elapsed_ms': (number);
}
