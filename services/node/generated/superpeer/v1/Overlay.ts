// Original file: proto/superpeer/v1/overlay.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ChordAck as _superpeer_v1_ChordAck, ChordAck__Output as _superpeer_v1_ChordAck__Output } from '../../superpeer/v1/ChordAck.js';
import type { ChordMessage as _superpeer_v1_ChordMessage, ChordMessage__Output as _superpeer_v1_ChordMessage__Output } from '../../superpeer/v1/ChordMessage.js';
import type { LeafMessage as _superpeer_v1_LeafMessage, LeafMessage__Output as _superpeer_v1_LeafMessage__Output } from '../../superpeer/v1/LeafMessage.js';
import type { LinkMessage as _superpeer_v1_LinkMessage, LinkMessage__Output as _superpeer_v1_LinkMessage__Output } from '../../superpeer/v1/LinkMessage.js';
import type { SupernodeMessage as _superpeer_v1_SupernodeMessage, SupernodeMessage__Output as _superpeer_v1_SupernodeMessage__Output } from '../../superpeer/v1/SupernodeMessage.js';

export interface OverlayClient extends grpc.Client {
  Attach(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_superpeer_v1_LeafMessage, _superpeer_v1_SupernodeMessage__Output>;
  Attach(options?: grpc.CallOptions): grpc.ClientDuplexStream<_superpeer_v1_LeafMessage, _superpeer_v1_SupernodeMessage__Output>;
  attach(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_superpeer_v1_LeafMessage, _superpeer_v1_SupernodeMessage__Output>;
  attach(options?: grpc.CallOptions): grpc.ClientDuplexStream<_superpeer_v1_LeafMessage, _superpeer_v1_SupernodeMessage__Output>;
  
  Chord(argument: _superpeer_v1_ChordMessage, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_ChordAck__Output>): grpc.ClientUnaryCall;
  Chord(argument: _superpeer_v1_ChordMessage, metadata: grpc.Metadata, callback: grpc.requestCallback<_superpeer_v1_ChordAck__Output>): grpc.ClientUnaryCall;
  Chord(argument: _superpeer_v1_ChordMessage, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_ChordAck__Output>): grpc.ClientUnaryCall;
  Chord(argument: _superpeer_v1_ChordMessage, callback: grpc.requestCallback<_superpeer_v1_ChordAck__Output>): grpc.ClientUnaryCall;
  chord(argument: _superpeer_v1_ChordMessage, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_ChordAck__Output>): grpc.ClientUnaryCall;
  chord(argument: _superpeer_v1_ChordMessage, metadata: grpc.Metadata, callback: grpc.requestCallback<_superpeer_v1_ChordAck__Output>): grpc.ClientUnaryCall;
  chord(argument: _superpeer_v1_ChordMessage, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_ChordAck__Output>): grpc.ClientUnaryCall;
  chord(argument: _superpeer_v1_ChordMessage, callback: grpc.requestCallback<_superpeer_v1_ChordAck__Output>): grpc.ClientUnaryCall;
  
  Link(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_superpeer_v1_LinkMessage, _superpeer_v1_LinkMessage__Output>;
  Link(options?: grpc.CallOptions): grpc.ClientDuplexStream<_superpeer_v1_LinkMessage, _superpeer_v1_LinkMessage__Output>;
  link(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_superpeer_v1_LinkMessage, _superpeer_v1_LinkMessage__Output>;
  link(options?: grpc.CallOptions): grpc.ClientDuplexStream<_superpeer_v1_LinkMessage, _superpeer_v1_LinkMessage__Output>;
  
}

export interface OverlayHandlers extends grpc.UntypedServiceImplementation {
  Attach: grpc.handleBidiStreamingCall<_superpeer_v1_LeafMessage__Output, _superpeer_v1_SupernodeMessage>;
  
  Chord: grpc.handleUnaryCall<_superpeer_v1_ChordMessage__Output, _superpeer_v1_ChordAck>;
  
  Link: grpc.handleBidiStreamingCall<_superpeer_v1_LinkMessage__Output, _superpeer_v1_LinkMessage>;
  
}

export interface OverlayDefinition extends grpc.ServiceDefinition {
  Attach: MethodDefinition<_superpeer_v1_LeafMessage, _superpeer_v1_SupernodeMessage, _superpeer_v1_LeafMessage__Output, _superpeer_v1_SupernodeMessage__Output>
  Chord: MethodDefinition<_superpeer_v1_ChordMessage, _superpeer_v1_ChordAck, _superpeer_v1_ChordMessage__Output, _superpeer_v1_ChordAck__Output>
  Link: MethodDefinition<_superpeer_v1_LinkMessage, _superpeer_v1_LinkMessage, _superpeer_v1_LinkMessage__Output, _superpeer_v1_LinkMessage__Output>
}
