// Original file: proto/superpeer/v1/overlay.proto


export interface LeafEntry {
  'node_id'?: (string);
  'zone'?: (string);
  'files'?: (number);
  'firewalled'?: (boolean);
}

export interface LeafEntry__Output {
  'node_id': (string);
  'zone': (string);
  'files': (number);
  'firewalled': (boolean);
}
