// Original file: proto/superpeer/v1/descriptor.proto

import type { Long } from '@grpc/proto-loader';

export interface FileResult {
  'sha256'?: (string);
  'name'?: (string);
  'size'?: (number | string | Long);
}

export interface FileResult__Output {
  'sha256': (string);
  'name': (string);
  'size': (number);
}
