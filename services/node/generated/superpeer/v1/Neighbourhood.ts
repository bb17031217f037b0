// Original file: proto/superpeer/v1/overlay.proto


export interface Neighbourhood {
  'neighbours'?: (string)[];
  'bits'?: (number);
  'behind'?: (Buffer | Uint8Array | string);
}

export interface Neighbourhood__Output {
  'neighbours': (string)[];
  'bits': (number);
  'behind': (Buffer);
}
