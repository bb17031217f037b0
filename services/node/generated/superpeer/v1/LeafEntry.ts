// Original file: proto/superpeer/v1/overlay.proto


export interface LeafEntry {
  'node_id'?: (string);
  'zone'?: (string);
  'files'?: (number);
  'firewalled'?: (boolean);
  'grpc_address'?: (string);
}

export interface LeafEntry__Output {
  'node_id': (string);
  'zone': (string);
  'files': (number);
  'firewalled': (boolean);
  'grpc_address': (string);
}
