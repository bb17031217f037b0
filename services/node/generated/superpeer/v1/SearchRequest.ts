// Original file: proto/superpeer/v1/overlay.proto


export interface SearchRequest {
  'query'?: (string);
  'sha256'?: (string);
  'max_results'?: (number);
  'timeout_ms'?: (number);
  'ttl'?: (number);
  'dynamic'?: (boolean);
  'single_round'?: (boolean);
}

export interface SearchRequest__Output {
  'query': (string);
  'sha256': (string);
  'max_results': (number);
  'timeout_ms': (number);
  'ttl': (number);
  'dynamic': (boolean);
  'single_round': (boolean);
}
