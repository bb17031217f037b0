// Original file: proto/superpeer/v1/overlay.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { LocateRequest as _superpeer_v1_LocateRequest, LocateRequest__Output as _superpeer_v1_LocateRequest__Output } from '../../superpeer/v1/LocateRequest.js';
import type { LocateResponse as _superpeer_v1_LocateResponse, LocateResponse__Output as _superpeer_v1_LocateResponse__Output } from '../../superpeer/v1/LocateResponse.js';
import type { PushRequest as _superpeer_v1_PushRequest, PushRequest__Output as _superpeer_v1_PushRequest__Output } from '../../superpeer/v1/PushRequest.js';
import type { PushResponse as _superpeer_v1_PushResponse, PushResponse__Output as _superpeer_v1_PushResponse__Output } from '../../superpeer/v1/PushResponse.js';
import type { SearchRequest as _superpeer_v1_SearchRequest, SearchRequest__Output as _superpeer_v1_SearchRequest__Output } from '../../superpeer/v1/SearchRequest.js';
import type { SearchResult as _superpeer_v1_SearchResult, SearchResult__Output as _superpeer_v1_SearchResult__Output } from '../../superpeer/v1/SearchResult.js';
import type { StatusRequest as _superpeer_v1_StatusRequest, StatusRequest__Output as _superpeer_v1_StatusRequest__Output } from '../../superpeer/v1/StatusRequest.js';
import type { StatusResponse as _superpeer_v1_StatusResponse, StatusResponse__Output as _superpeer_v1_StatusResponse__Output } from '../../superpeer/v1/StatusResponse.js';
import type { TopologyRequest as _superpeer_v1_TopologyRequest, TopologyRequest__Output as _superpeer_v1_TopologyRequest__Output } from '../../superpeer/v1/TopologyRequest.js';
import type { TopologyResponse as _superpeer_v1_TopologyResponse, TopologyResponse__Output as _superpeer_v1_TopologyResponse__Output } from '../../superpeer/v1/TopologyResponse.js';

export interface ClientClient extends grpc.Client {
  Locate(argument: _superpeer_v1_LocateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  Locate(argument: _superpeer_v1_LocateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superpeer_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  Locate(argument: _superpeer_v1_LocateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  Locate(argument: _superpeer_v1_LocateRequest, callback: grpc.requestCallback<_superpeer_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  locate(argument: _superpeer_v1_LocateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  locate(argument: _superpeer_v1_LocateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superpeer_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  locate(argument: _superpeer_v1_LocateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  locate(argument: _superpeer_v1_LocateRequest, callback: grpc.requestCallback<_superpeer_v1_LocateResponse__Output>): grpc.ClientUnaryCall;
  
  RequestPush(argument: _superpeer_v1_PushRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  RequestPush(argument: _superpeer_v1_PushRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superpeer_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  RequestPush(argument: _superpeer_v1_PushRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  RequestPush(argument: _superpeer_v1_PushRequest, callback: grpc.requestCallback<_superpeer_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  requestPush(argument: _superpeer_v1_PushRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  requestPush(argument: _superpeer_v1_PushRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superpeer_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  requestPush(argument: _superpeer_v1_PushRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  requestPush(argument: _superpeer_v1_PushRequest, callback: grpc.requestCallback<_superpeer_v1_PushResponse__Output>): grpc.ClientUnaryCall;
  
  Search(argument: _superpeer_v1_SearchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_superpeer_v1_SearchResult__Output>;
  Search(argument: _superpeer_v1_SearchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_superpeer_v1_SearchResult__Output>;
  search(argument: _superpeer_v1_SearchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_superpeer_v1_SearchResult__Output>;
  search(argument: _superpeer_v1_SearchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_superpeer_v1_SearchResult__Output>;
  
  Status(argument: _superpeer_v1_StatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _superpeer_v1_StatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superpeer_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _superpeer_v1_StatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  Status(argument: _superpeer_v1_StatusRequest, callback: grpc.requestCallback<_superpeer_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _superpeer_v1_StatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _superpeer_v1_StatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_superpeer_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _superpeer_v1_StatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_superpeer_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  status(argument: _superpeer_v1_StatusRequest, callback: grpc.requestCallback<_superpeer_v1_StatusResponse__Output>): grpc.ClientUnaryCall;
  
  Topology(argument: _superpeer_v1_TopologyRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_superpeer_v1_TopologyResponse__Output>;
  Topology(argument: _superpeer_v1_TopologyRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_superpeer_v1_TopologyResponse__Output>;
  topology(argument: _superpeer_v1_TopologyRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_superpeer_v1_TopologyResponse__Output>;
  topology(argument: _superpeer_v1_TopologyRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_superpeer_v1_TopologyResponse__Output>;
  
}

export interface ClientHandlers extends grpc.UntypedServiceImplementation {
  Locate: grpc.handleUnaryCall<_superpeer_v1_LocateRequest__Output, _superpeer_v1_LocateResponse>;
  
  RequestPush: grpc.handleUnaryCall<_superpeer_v1_PushRequest__Output, _superpeer_v1_PushResponse>;
  
  Search: grpc.handleServerStreamingCall<_superpeer_v1_SearchRequest__Output, _superpeer_v1_SearchResult>;
  
  Status: grpc.handleUnaryCall<_superpeer_v1_StatusRequest__Output, _superpeer_v1_StatusResponse>;
  
  Topology: grpc.handleServerStreamingCall<_superpeer_v1_TopologyRequest__Output, _superpeer_v1_TopologyResponse>;
  
}

export interface ClientDefinition extends grpc.ServiceDefinition {
  Locate: MethodDefinition<_superpeer_v1_LocateRequest, _superpeer_v1_LocateResponse, _superpeer_v1_LocateRequest__Output, _superpeer_v1_LocateResponse__Output>
  RequestPush: MethodDefinition<_superpeer_v1_PushRequest, _superpeer_v1_PushResponse, _superpeer_v1_PushRequest__Output, _superpeer_v1_PushResponse__Output>
  Search: MethodDefinition<_superpeer_v1_SearchRequest, _superpeer_v1_SearchResult, _superpeer_v1_SearchRequest__Output, _superpeer_v1_SearchResult__Output>
  Status: MethodDefinition<_superpeer_v1_StatusRequest, _superpeer_v1_StatusResponse, _superpeer_v1_StatusRequest__Output, _superpeer_v1_StatusResponse__Output>
  Topology: MethodDefinition<_superpeer_v1_TopologyRequest, _superpeer_v1_TopologyResponse, _superpeer_v1_TopologyRequest__Output, _superpeer_v1_TopologyResponse__Output>
}
