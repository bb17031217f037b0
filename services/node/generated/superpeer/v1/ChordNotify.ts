// Original file: proto/superpeer/v1/overlay.proto

import type { ChordRef as _superpeer_v1_ChordRef, ChordRef__Output as _superpeer_v1_ChordRef__Output } from '../../superpeer/v1/ChordRef.js';

export interface ChordNotify {
  'from'?: (_superpeer_v1_ChordRef | null);
}

export interface ChordNotify__Output {
  'from': (_superpeer_v1_ChordRef__Output | null);
}
