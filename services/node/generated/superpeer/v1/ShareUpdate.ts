// Original file: proto/superpeer/v1/overlay.proto

import type { SharedFile as _superpeer_v1_SharedFile, SharedFile__Output as _superpeer_v1_SharedFile__Output } from '../../superpeer/v1/SharedFile.js';

export interface ShareUpdate {
  'add'?: (_superpeer_v1_SharedFile)[];
  'remove'?: (string)[];
  'reset'?: (boolean);
}

export interface ShareUpdate__Output {
  'add': (_superpeer_v1_SharedFile__Output)[];
  'remove': (string)[];
  'reset': (boolean);
}
