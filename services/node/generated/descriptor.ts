import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Descriptor as _superpeer_v1_Descriptor, Descriptor__Output as _superpeer_v1_Descriptor__Output } from './superpeer/v1/Descriptor.js';
import type { FileResult as _superpeer_v1_FileResult, FileResult__Output as _superpeer_v1_FileResult__Output } from './superpeer/v1/FileResult.js';
import type { Header as _superpeer_v1_Header, Header__Output as _superpeer_v1_Header__Output } from './superpeer/v1/Header.js';
import type { Ping as _superpeer_v1_Ping, Ping__Output as _superpeer_v1_Ping__Output } from './superpeer/v1/Ping.js';
import type { Pong as _superpeer_v1_Pong, Pong__Output as _superpeer_v1_Pong__Output } from './superpeer/v1/Pong.js';
import type { Push as _superpeer_v1_Push, Push__Output as _superpeer_v1_Push__Output } from './superpeer/v1/Push.js';
import type { Query as _superpeer_v1_Query, Query__Output as _superpeer_v1_Query__Output } from './superpeer/v1/Query.js';
import type { QueryHit as _superpeer_v1_QueryHit, QueryHit__Output as _superpeer_v1_QueryHit__Output } from './superpeer/v1/QueryHit.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  superpeer: {
    v1: {
      Descriptor: MessageTypeDefinition<_superpeer_v1_Descriptor, _superpeer_v1_Descriptor__Output>
      FileResult: MessageTypeDefinition<_superpeer_v1_FileResult, _superpeer_v1_FileResult__Output>
      Header: MessageTypeDefinition<_superpeer_v1_Header, _superpeer_v1_Header__Output>
      PayloadType: EnumTypeDefinition
      Ping: MessageTypeDefinition<_superpeer_v1_Ping, _superpeer_v1_Ping__Output>
      Pong: MessageTypeDefinition<_superpeer_v1_Pong, _superpeer_v1_Pong__Output>
      Push: MessageTypeDefinition<_superpeer_v1_Push, _superpeer_v1_Push__Output>
      Query: MessageTypeDefinition<_superpeer_v1_Query, _superpeer_v1_Query__Output>
      QueryHit: MessageTypeDefinition<_superpeer_v1_QueryHit, _superpeer_v1_QueryHit__Output>
    }
  }
}

