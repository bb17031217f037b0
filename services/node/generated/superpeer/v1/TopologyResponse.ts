// Original file: proto/superpeer/v1/overlay.proto

import type { TopologyNode as _superpeer_v1_TopologyNode, TopologyNode__Output as _superpeer_v1_TopologyNode__Output } from '../../superpeer/v1/TopologyNode.js';
import type { TopologyLink as _superpeer_v1_TopologyLink, TopologyLink__Output as _superpeer_v1_TopologyLink__Output } from '../../superpeer/v1/TopologyLink.js';

export interface TopologyResponse {
  'nodes'?: (_superpeer_v1_TopologyNode)[];
  'links'?: (_superpeer_v1_TopologyLink)[];
}

export interface TopologyResponse__Output {
  'nodes': (_superpeer_v1_TopologyNode__Output)[];
  'links': (_superpeer_v1_TopologyLink__Output)[];
}
