// Original file: proto/superpeer/v1/descriptor.proto


export interface Push {
  'servent_id'?: (Buffer | Uint8Array | string);
  'sha256'?: (string);
  'requester_address'?: (string);
  'token'?: (string);
}

export interface Push__Output {
  'servent_id': (Buffer);
  'sha256': (string);
  'requester_address': (string);
  'token': (string);
}
