// Original file: proto/superpeer/v1/overlay.proto

import type { NodeInfo as _superpeer_v1_NodeInfo, NodeInfo__Output as _superpeer_v1_NodeInfo__Output } from '../../superpeer/v1/NodeInfo.js';
import type { Uplink as _superpeer_v1_Uplink, Uplink__Output as _superpeer_v1_Uplink__Output } from '../../superpeer/v1/Uplink.js';
import type { Neighbour as _superpeer_v1_Neighbour, Neighbour__Output as _superpeer_v1_Neighbour__Output } from '../../superpeer/v1/Neighbour.js';
import type { LeafEntry as _superpeer_v1_LeafEntry, LeafEntry__Output as _superpeer_v1_LeafEntry__Output } from '../../superpeer/v1/LeafEntry.js';
import type { SharedFile as _superpeer_v1_SharedFile, SharedFile__Output as _superpeer_v1_SharedFile__Output } from '../../superpeer/v1/SharedFile.js';
import type { Counter as _superpeer_v1_Counter, Counter__Output as _superpeer_v1_Counter__Output } from '../../superpeer/v1/Counter.js';
import type { Long } from '@grpc/proto-loader';

export interface StatusResponse {
  'node'?: (_superpeer_v1_NodeInfo | null);
  'mode'?: (string);
  'uptime_ms'?: (number | string | Long);
  'uplinks'?: (_superpeer_v1_Uplink)[];
  'neighbours'?: (_superpeer_v1_Neighbour)[];
  'leaves'?: (_superpeer_v1_LeafEntry)[];
  'files'?: (_superpeer_v1_SharedFile)[];
  'indexed_files'?: (number);
  'counters'?: (_superpeer_v1_Counter)[];
  'total_leaves'?: (number);
  'total_files'?: (number);
  'next_leaves_offset'?: (number);
  'next_files_offset'?: (number);
  'more'?: (boolean);
}

export interface StatusResponse__Output {
  'node': (_superpeer_v1_NodeInfo__Output | null);
  'mode': (string);
  'uptime_ms': (number);
  'uplinks': (_superpeer_v1_Uplink__Output)[];
  'neighbours': (_superpeer_v1_Neighbour__Output)[];
  'leaves': (_superpeer_v1_LeafEntry__Output)[];
  'files': (_superpeer_v1_SharedFile__Output)[];
  'indexed_files': (number);
  'counters': (_superpeer_v1_Counter__Output)[];
  'total_leaves': (number);
  'total_files': (number);
  'next_leaves_offset': (number);
  'next_files_offset': (number);
  'more': (boolean);
}
