// Original file: proto/superpeer/v1/overlay.proto

import type { ChordRecord as _superpeer_v1_ChordRecord, ChordRecord__Output as _superpeer_v1_ChordRecord__Output } from '../../superpeer/v1/ChordRecord.js';

export interface ChordStore {
  'sha256'?: (string);
  'providers'?: (string)[];
  'records'?: (_superpeer_v1_ChordRecord)[];
}

export interface ChordStore__Output {
  'sha256': (string);
  'providers': (string)[];
  'records': (_superpeer_v1_ChordRecord__Output)[];
}
