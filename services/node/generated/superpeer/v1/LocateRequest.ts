// Original file: proto/superpeer/v1/overlay.proto


export interface LocateRequest {
  'sha256'?: (string);
  'timeout_ms'?: (number);
  'max_results'?: (number);
}

export interface LocateRequest__Output {
  'sha256': (string);
  'timeout_ms': (number);
  'max_results': (number);
}
