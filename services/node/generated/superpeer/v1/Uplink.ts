// Original file: proto/superpeer/v1/overlay.proto


export interface Uplink {
  'node_id'?: (string);
  'grpc_address'?: (string);
  'zone'?: (string);
}

export interface Uplink__Output {
  'node_id': (string);
  'grpc_address': (string);
  'zone': (string);
}
