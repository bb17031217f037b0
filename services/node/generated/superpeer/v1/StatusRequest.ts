// Original file: proto/superpeer/v1/overlay.proto


export interface StatusRequest {
}

export interface StatusRequest__Output {
}
