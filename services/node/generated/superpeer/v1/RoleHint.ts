// Original file: proto/superpeer/v1/overlay.proto

import type { Long } from '@grpc/proto-loader';

export interface RoleHint {
  'role'?: (string);
  'token'?: (number | string | Long);
}

export interface RoleHint__Output {
  'role': (string);
  'token': (number);
}
