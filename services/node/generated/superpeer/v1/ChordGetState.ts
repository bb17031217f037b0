// Original file: proto/superpeer/v1/overlay.proto

import type { ChordRef as _superpeer_v1_ChordRef, ChordRef__Output as _superpeer_v1_ChordRef__Output } from '../../superpeer/v1/ChordRef.js';
import type { Long } from '@grpc/proto-loader';

export interface ChordGetState {
  'req'?: (number | string | Long);
  'from'?: (_superpeer_v1_ChordRef | null);
  'notify'?: (boolean);
}

export interface ChordGetState__Output {
  'req': (number);
  'from': (_superpeer_v1_ChordRef__Output | null);
  'notify': (boolean);
}
