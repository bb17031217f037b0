// Original file: proto/superpeer/v1/descriptor.proto


export interface Query {
  'search_criteria'?: (string);
  'sha256'?: (string);
  'max_results'?: (number);
  'origin_zone'?: (string);
}

export interface Query__Output {
  'search_criteria': (string);
  'sha256': (string);
  'max_results': (number);
  'origin_zone': (string);
}
