// Original file: proto/superpeer/v1/descriptor.proto

import type { Header as _superpeer_v1_Header, Header__Output as _superpeer_v1_Header__Output } from '../../superpeer/v1/Header.js';
import type { Ping as _superpeer_v1_Ping, Ping__Output as _superpeer_v1_Ping__Output } from '../../superpeer/v1/Ping.js';
import type { Pong as _superpeer_v1_Pong, Pong__Output as _superpeer_v1_Pong__Output } from '../../superpeer/v1/Pong.js';
import type { Query as _superpeer_v1_Query, Query__Output as _superpeer_v1_Query__Output } from '../../superpeer/v1/Query.js';
import type { QueryHit as _superpeer_v1_QueryHit, QueryHit__Output as _superpeer_v1_QueryHit__Output } from '../../superpeer/v1/QueryHit.js';
import type { Push as _superpeer_v1_Push, Push__Output as _superpeer_v1_Push__Output } from '../../superpeer/v1/Push.js';

export interface Descriptor {
  'header'?: (_superpeer_v1_Header | null);
  'ping'?: (_superpeer_v1_Ping | null);
  'pong'?: (_superpeer_v1_Pong | null);
  'query'?: (_superpeer_v1_Query | null);
  'query_hit'?: (_superpeer_v1_QueryHit | null);
  'push'?: (_superpeer_v1_Push | null);
  'payload'?: "ping"|"pong"|"query"|"query_hit"|"push";
}

export interface Descriptor__Output {
  'header': (_superpeer_v1_Header__Output | null);
  'ping'?: (_superpeer_v1_Ping__Output | null);
  'pong'?: (_superpeer_v1_Pong__Output | null);
  'query'?: (_superpeer_v1_Query__Output | null);
  'query_hit'?: (_superpeer_v1_QueryHit__Output | null);
  'push'?: (_superpeer_v1_Push__Output | null);
  'payload'?: "ping"|"pong"|"query"|"query_hit"|"push";
}
