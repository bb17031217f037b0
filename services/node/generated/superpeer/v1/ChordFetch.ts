// Original file: proto/superpeer/v1/overlay.proto

import type { ChordRef as _superpeer_v1_ChordRef, ChordRef__Output as _superpeer_v1_ChordRef__Output } from '../../superpeer/v1/ChordRef.js';
import type { Long } from '@grpc/proto-loader';

export interface ChordFetch {
  'req'?: (number | string | Long);
  'sha256'?: (string);
  'from'?: (_superpeer_v1_ChordRef | null);
}

export interface ChordFetch__Output {
  'req': (number);
  'sha256': (string);
  'from': (_superpeer_v1_ChordRef__Output | null);
}
