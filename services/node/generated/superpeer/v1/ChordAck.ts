// Original file: proto/superpeer/v1/overlay.proto

import type { ChordMessage as _superpeer_v1_ChordMessage, ChordMessage__Output as _superpeer_v1_ChordMessage__Output } from '../../superpeer/v1/ChordMessage.js';

export interface ChordAck {
  'reply'?: (_superpeer_v1_ChordMessage | null);
}

export interface ChordAck__Output {
  'reply': (_superpeer_v1_ChordMessage__Output | null);
}
