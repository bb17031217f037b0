// Original file: proto/superpeer/v1/overlay.proto

import type { ChordRef as _superpeer_v1_ChordRef, ChordRef__Output as _superpeer_v1_ChordRef__Output } from '../../superpeer/v1/ChordRef.js';
import type { Long } from '@grpc/proto-loader';

export interface ChordFound {
  'req'?: (number | string | Long);
  'node'?: (_superpeer_v1_ChordRef | null);
  'hops'?: (number);
  'arc_start'?: (number);
  'successors'?: (_superpeer_v1_ChordRef)[];
  'maintenance'?: (boolean);
}

export interface ChordFound__Output {
  'req': (number);
  'node': (_superpeer_v1_ChordRef__Output | null);
  'hops': (number);
  'arc_start': (number);
  'successors': (_superpeer_v1_ChordRef__Output)[];
  'maintenance': (boolean);
}
