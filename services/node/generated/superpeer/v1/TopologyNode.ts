// Original file: proto/superpeer/v1/overlay.proto

import type { SharedFile as _superpeer_v1_SharedFile, SharedFile__Output as _superpeer_v1_SharedFile__Output } from '../../superpeer/v1/SharedFile.js';

export interface TopologyNode {
  'id'?: (string);
  'role'?: (string);
  'zone'?: (string);
  'grpc'?: (string);
  'http'?: (string);
  'firewalled'?: (boolean);
  'uplinks'?: (string)[];
  'files'?: (_superpeer_v1_SharedFile)[];
  'score'?: (number | string);
  'leaves'?: (number);
}

export interface TopologyNode__Output {
  'id': (string);
  'role': (string);
  'zone': (string);
  'grpc': (string);
  'http': (string);
  'firewalled': (boolean);
  'uplinks': (string)[];
  'files': (_superpeer_v1_SharedFile__Output)[];
  'score': (number);
  'leaves': (number);
}
