// Original file: proto/superpeer/v1/overlay.proto

import type { NodeInfo as _superpeer_v1_NodeInfo, NodeInfo__Output as _superpeer_v1_NodeInfo__Output } from '../../superpeer/v1/NodeInfo.js';

export interface LinkHello {
  'node'?: (_superpeer_v1_NodeInfo | null);
  'mode'?: (string);
  'secret'?: (string);
  'wire_version'?: (number);
}

export interface LinkHello__Output {
  'node': (_superpeer_v1_NodeInfo__Output | null);
  'mode': (string);
  'secret': (string);
  'wire_version': (number);
}
