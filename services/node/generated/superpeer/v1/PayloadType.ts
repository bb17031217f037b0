// Original file: proto/superpeer/v1/descriptor.proto

export const PayloadType = {
  PAYLOAD_TYPE_UNSPECIFIED: 'PAYLOAD_TYPE_UNSPECIFIED',
  PAYLOAD_TYPE_PING: 'PAYLOAD_TYPE_PING',
  PAYLOAD_TYPE_PONG: 'PAYLOAD_TYPE_PONG',
  PAYLOAD_TYPE_PUSH: 'PAYLOAD_TYPE_PUSH',
  PAYLOAD_TYPE_QUERY: 'PAYLOAD_TYPE_QUERY',
  PAYLOAD_TYPE_QUERY_HIT: 'PAYLOAD_TYPE_QUERY_HIT',
} as const;

export type PayloadType =
  | 'PAYLOAD_TYPE_UNSPECIFIED'
  | 0
  | 'PAYLOAD_TYPE_PING'
  | 1
  | 'PAYLOAD_TYPE_PONG'
  | 2
  | 'PAYLOAD_TYPE_PUSH'
  | 3
  | 'PAYLOAD_TYPE_QUERY'
  | 4
  | 'PAYLOAD_TYPE_QUERY_HIT'
  | 5

export type PayloadType__Output = typeof PayloadType[keyof typeof PayloadType]
