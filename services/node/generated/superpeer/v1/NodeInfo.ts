// Original file: proto/superpeer/v1/overlay.proto


export interface NodeInfo {
  'node_id'?: (string);
  'servent_id'?: (string);
  'grpc_address'?: (string);
  'http_address'?: (string);
  'zone'?: (string);
  'firewalled'?: (boolean);
  'score'?: (number | string);
  'role'?: (string);
  'leaf_capacity'?: (number);
  'leaves'?: (number);
}

export interface NodeInfo__Output {
  'node_id': (string);
  'servent_id': (string);
  'grpc_address': (string);
  'http_address': (string);
  'zone': (string);
  'firewalled': (boolean);
  'score': (number);
  'role': (string);
  'leaf_capacity': (number);
  'leaves': (number);
}
