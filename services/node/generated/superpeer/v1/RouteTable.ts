// Original file: proto/superpeer/v1/overlay.proto


export interface RouteTable {
  'bits'?: (number);
  'table'?: (Buffer | Uint8Array | string);
}

export interface RouteTable__Output {
  'bits': (number);
  'table': (Buffer);
}
