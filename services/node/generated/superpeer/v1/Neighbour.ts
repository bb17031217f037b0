// Original file: proto/superpeer/v1/overlay.proto


export interface Neighbour {
  'node_id'?: (string);
  'grpc_address'?: (string);
  'zone'?: (string);
}

export interface Neighbour__Output {
  'node_id': (string);
  'grpc_address': (string);
  'zone': (string);
}
