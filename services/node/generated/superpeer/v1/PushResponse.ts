// Original file: proto/superpeer/v1/overlay.proto


export interface PushResponse {
  'routed'?: (boolean);
}

export interface PushResponse__Output {
  'routed': (boolean);
}
