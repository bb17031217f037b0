// Original file: proto/superpeer/v1/overlay.proto


export interface StatusRequest {
  'leaves_offset'?: (number);
  'files_offset'?: (number);
}

export interface StatusRequest__Output {
  'leaves_offset': (number);
  'files_offset': (number);
}
