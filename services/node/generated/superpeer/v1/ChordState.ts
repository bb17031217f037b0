// Original file: proto/superpeer/v1/overlay.proto

import type { ChordRef as _superpeer_v1_ChordRef, ChordRef__Output as _superpeer_v1_ChordRef__Output } from '../../superpeer/v1/ChordRef.js';
import type { Long } from '@grpc/proto-loader';

export interface ChordState {
  'req'?: (number | string | Long);
  'predecessor'?: (_superpeer_v1_ChordRef | null);
  'successors'?: (_superpeer_v1_ChordRef)[];
}

export interface ChordState__Output {
  'req': (number);
  'predecessor': (_superpeer_v1_ChordRef__Output | null);
  'successors': (_superpeer_v1_ChordRef__Output)[];
}
