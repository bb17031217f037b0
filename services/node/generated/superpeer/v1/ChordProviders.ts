// Original file: proto/superpeer/v1/overlay.proto

import type { Long } from '@grpc/proto-loader';

export interface ChordProviders {
  'req'?: (number | string | Long);
  'providers'?: (string)[];
}

export interface ChordProviders__Output {
  'req': (number);
  'providers': (string)[];
}
