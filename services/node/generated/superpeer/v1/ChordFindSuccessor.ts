// Original file: proto/superpeer/v1/overlay.proto

import type { ChordRef as _superpeer_v1_ChordRef, ChordRef__Output as _superpeer_v1_ChordRef__Output } from '../../superpeer/v1/ChordRef.js';
import type { Long } from '@grpc/proto-loader';

export interface ChordFindSuccessor {
  'req'?: (number | string | Long);
  'key'?: (number);
  'origin'?: (_superpeer_v1_ChordRef | null);
  'hops'?: (number);
  'maintenance'?: (boolean);
}

export interface ChordFindSuccessor__Output {
  'req': (number);
  'key': (number);
  'origin': (_superpeer_v1_ChordRef__Output | null);
  'hops': (number);
  'maintenance': (boolean);
}
