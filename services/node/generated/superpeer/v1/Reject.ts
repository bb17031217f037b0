// Original file: proto/superpeer/v1/overlay.proto


export interface Reject {
  'descriptor_id'?: (Buffer | Uint8Array | string);
  'code'?: (string);
  'message'?: (string);
}

export interface Reject__Output {
  'descriptor_id': (Buffer);
  'code': (string);
  'message': (string);
}
