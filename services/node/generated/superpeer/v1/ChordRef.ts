// Original file: proto/superpeer/v1/overlay.proto


export interface ChordRef {
  'id'?: (number);
  'address'?: (string);
  'zone'?: (string);
}

export interface ChordRef__Output {
  'id': (number);
  'address': (string);
  'zone': (string);
}
