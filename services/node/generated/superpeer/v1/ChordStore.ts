// Original file: proto/superpeer/v1/overlay.proto


export interface ChordStore {
  'sha256'?: (string);
  'providers'?: (string)[];
}

export interface ChordStore__Output {
  'sha256': (string);
  'providers': (string)[];
}
