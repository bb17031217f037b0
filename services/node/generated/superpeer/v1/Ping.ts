// Original file: proto/superpeer/v1/descriptor.proto


export interface Ping {
}

export interface Ping__Output {
}
