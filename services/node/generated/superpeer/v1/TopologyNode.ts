// Original file: proto/superpeer/v1/overlay.proto

import type { SharedFile as _superpeer_v1_SharedFile, SharedFile__Output as _superpeer_v1_SharedFile__Output } from '../../superpeer/v1/SharedFile.js';

export interface TopologyNode {
  'node_id'?: (string);
  'role'?: (string);
  'zone'?: (string);
  'grpc_address'?: (string);
  'http_address'?: (string);
  'firewalled'?: (boolean);
  'uplinks'?: (string)[];
  'files'?: (_superpeer_v1_SharedFile)[];
  'score'?: (number | string);
  'leaves'?: (number);
}

export interface TopologyNode__Output {
  'node_id': (string);
  'role': (string);
  'zone': (string);
  'grpc_address': (string);
  'http_address': (string);
  'firewalled': (boolean);
  'uplinks': (string)[];
  'files': (_superpeer_v1_SharedFile__Output)[];
  'score': (number);
  'leaves': (number);
}
