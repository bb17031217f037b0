// Original file: proto/superpeer/v1/overlay.proto

import type { Long } from '@grpc/proto-loader';

export interface SharedFile {
  'sha256'?: (string);
  'name'?: (string);
  'size'?: (number | string | Long);
}

export interface SharedFile__Output {
  'sha256': (string);
  'name': (string);
  'size': (number);
}
