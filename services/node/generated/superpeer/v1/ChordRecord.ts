// Original file: proto/superpeer/v1/overlay.proto


export interface ChordRecord {
  'sha256'?: (string);
  'providers'?: (string)[];
}

export interface ChordRecord__Output {
  'sha256': (string);
  'providers': (string)[];
}
