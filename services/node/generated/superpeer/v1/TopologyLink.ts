// Original file: proto/superpeer/v1/overlay.proto


export interface TopologyLink {
  'source'?: (string);
  'target'?: (string);
  'kind'?: (string);
}

export interface TopologyLink__Output {
  'source': (string);
  'target': (string);
  'kind': (string);
}
