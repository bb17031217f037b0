// Original file: proto/superpeer/v1/overlay.proto


export interface PushRequest {
  'servent_id'?: (string);
  'sha256'?: (string);
  'requester_address'?: (string);
  'token'?: (string);
}

export interface PushRequest__Output {
  'servent_id': (string);
  'sha256': (string);
  'requester_address': (string);
  'token': (string);
}
