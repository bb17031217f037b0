// Original file: proto/superpeer/v1/overlay.proto

import type { NodeInfo as _superpeer_v1_NodeInfo, NodeInfo__Output as _superpeer_v1_NodeInfo__Output } from '../../superpeer/v1/NodeInfo.js';

export interface Alternatives {
  'supernodes'?: (_superpeer_v1_NodeInfo)[];
}

export interface Alternatives__Output {
  'supernodes': (_superpeer_v1_NodeInfo__Output)[];
}
