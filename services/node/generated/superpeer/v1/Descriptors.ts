// Original file: proto/superpeer/v1/overlay.proto

import type { Descriptor as _superpeer_v1_Descriptor, Descriptor__Output as _superpeer_v1_Descriptor__Output } from '../../superpeer/v1/Descriptor.js';

export interface Descriptors {
  'descriptors'?: (_superpeer_v1_Descriptor)[];
}

export interface Descriptors__Output {
  'descriptors': (_superpeer_v1_Descriptor__Output)[];
}
