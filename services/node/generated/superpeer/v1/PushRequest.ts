// Original file: proto/superpeer/v1/overlay.proto


export interface PushRequest {
  'servent_id'?: (Buffer | Uint8Array | string);
  'sha256'?: (string);
  'requester_address'?: (string);
  'token'?: (string);
}

export interface PushRequest__Output {
  'servent_id': (Buffer);
  'sha256': (string);
  'requester_address': (string);
  'token': (string);
}
