// Original file: proto/superpeer/v1/overlay.proto

import type { NodeInfo as _superpeer_v1_NodeInfo, NodeInfo__Output as _superpeer_v1_NodeInfo__Output } from '../../superpeer/v1/NodeInfo.js';
import type { Long } from '@grpc/proto-loader';

export interface LeafHello {
  'node'?: (_superpeer_v1_NodeInfo | null);
  'secret'?: (string);
  'wire_version'?: (number);
  'elected'?: (boolean);
  'last_role_change_ms'?: (number | string | Long);
}

export interface LeafHello__Output {
  'node': (_superpeer_v1_NodeInfo__Output | null);
  'secret': (string);
  'wire_version': (number);
  'elected': (boolean);
  'last_role_change_ms': (number);
}
