// Original file: proto/superpeer/v1/overlay.proto

import type { NodeInfo as _superpeer_v1_NodeInfo, NodeInfo__Output as _superpeer_v1_NodeInfo__Output } from '../../superpeer/v1/NodeInfo.js';

export interface Welcome {
  'supernode'?: (_superpeer_v1_NodeInfo | null);
  'wire_version'?: (number);
  'alternatives'?: (_superpeer_v1_NodeInfo)[];
}

export interface Welcome__Output {
  'supernode': (_superpeer_v1_NodeInfo__Output | null);
  'wire_version': (number);
  'alternatives': (_superpeer_v1_NodeInfo__Output)[];
}
