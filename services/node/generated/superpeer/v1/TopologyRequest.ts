// Original file: proto/superpeer/v1/overlay.proto


export interface TopologyRequest {
  'max_nodes'?: (number);
}

export interface TopologyRequest__Output {
  'max_nodes': (number);
}
