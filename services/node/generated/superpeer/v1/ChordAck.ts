// Original file: proto/superpeer/v1/overlay.proto


export interface ChordAck {
}

export interface ChordAck__Output {
}
