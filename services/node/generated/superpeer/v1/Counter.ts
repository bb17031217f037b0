// Original file: proto/superpeer/v1/overlay.proto


export interface Counter {
  'name'?: (string);
  'value'?: (number | string);
}

export interface Counter__Output {
  'name': (string);
  'value': (number);
}
