import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Alternatives as _superpeer_v1_Alternatives, Alternatives__Output as _superpeer_v1_Alternatives__Output } from './superpeer/v1/Alternatives.js';
import type { ChordAck as _superpeer_v1_ChordAck, ChordAck__Output as _superpeer_v1_ChordAck__Output } from './superpeer/v1/ChordAck.js';
import type { ChordFetch as _superpeer_v1_ChordFetch, ChordFetch__Output as _superpeer_v1_ChordFetch__Output } from './superpeer/v1/ChordFetch.js';
import type { ChordFindSuccessor as _superpeer_v1_ChordFindSuccessor, ChordFindSuccessor__Output as _superpeer_v1_ChordFindSuccessor__Output } from './superpeer/v1/ChordFindSuccessor.js';
import type { ChordFound as _superpeer_v1_ChordFound, ChordFound__Output as _superpeer_v1_ChordFound__Output } from './superpeer/v1/ChordFound.js';
import type { ChordGetState as _superpeer_v1_ChordGetState, ChordGetState__Output as _superpeer_v1_ChordGetState__Output } from './superpeer/v1/ChordGetState.js';
import type { ChordMessage as _superpeer_v1_ChordMessage, ChordMessage__Output as _superpeer_v1_ChordMessage__Output } from './superpeer/v1/ChordMessage.js';
import type { ChordNotify as _superpeer_v1_ChordNotify, ChordNotify__Output as _superpeer_v1_ChordNotify__Output } from './superpeer/v1/ChordNotify.js';
import type { ChordProviders as _superpeer_v1_ChordProviders, ChordProviders__Output as _superpeer_v1_ChordProviders__Output } from './superpeer/v1/ChordProviders.js';
import type { ChordRecord as _superpeer_v1_ChordRecord, ChordRecord__Output as _superpeer_v1_ChordRecord__Output } from './superpeer/v1/ChordRecord.js';
import type { ChordRef as _superpeer_v1_ChordRef, ChordRef__Output as _superpeer_v1_ChordRef__Output } from './superpeer/v1/ChordRef.js';
import type { ChordState as _superpeer_v1_ChordState, ChordState__Output as _superpeer_v1_ChordState__Output } from './superpeer/v1/ChordState.js';
import type { ChordStore as _superpeer_v1_ChordStore, ChordStore__Output as _superpeer_v1_ChordStore__Output } from './superpeer/v1/ChordStore.js';
import type { ClientClient as _superpeer_v1_ClientClient, ClientDefinition as _superpeer_v1_ClientDefinition } from './superpeer/v1/Client.js';
import type { Counter as _superpeer_v1_Counter, Counter__Output as _superpeer_v1_Counter__Output } from './superpeer/v1/Counter.js';
import type { Descriptor as _superpeer_v1_Descriptor, Descriptor__Output as _superpeer_v1_Descriptor__Output } from './superpeer/v1/Descriptor.js';
import type { Descriptors as _superpeer_v1_Descriptors, Descriptors__Output as _superpeer_v1_Descriptors__Output } from './superpeer/v1/Descriptors.js';
import type { FileResult as _superpeer_v1_FileResult, FileResult__Output as _superpeer_v1_FileResult__Output } from './superpeer/v1/FileResult.js';
import type { Header as _superpeer_v1_Header, Header__Output as _superpeer_v1_Header__Output } from './superpeer/v1/Header.js';
import type { LeafEntry as _superpeer_v1_LeafEntry, LeafEntry__Output as _superpeer_v1_LeafEntry__Output } from './superpeer/v1/LeafEntry.js';
import type { LeafHello as _superpeer_v1_LeafHello, LeafHello__Output as _superpeer_v1_LeafHello__Output } from './superpeer/v1/LeafHello.js';
import type { LeafMessage as _superpeer_v1_LeafMessage, LeafMessage__Output as _superpeer_v1_LeafMessage__Output } from './superpeer/v1/LeafMessage.js';
import type { LinkHello as _superpeer_v1_LinkHello, LinkHello__Output as _superpeer_v1_LinkHello__Output } from './superpeer/v1/LinkHello.js';
import type { LinkMessage as _superpeer_v1_LinkMessage, LinkMessage__Output as _superpeer_v1_LinkMessage__Output } from './superpeer/v1/LinkMessage.js';
import type { LocateRequest as _superpeer_v1_LocateRequest, LocateRequest__Output as _superpeer_v1_LocateRequest__Output } from './superpeer/v1/LocateRequest.js';
import type { LocateResponse as _superpeer_v1_LocateResponse, LocateResponse__Output as _superpeer_v1_LocateResponse__Output } from './superpeer/v1/LocateResponse.js';
import type { Neighbour as _superpeer_v1_Neighbour, Neighbour__Output as _superpeer_v1_Neighbour__Output } from './superpeer/v1/Neighbour.js';
import type { Neighbourhood as _superpeer_v1_Neighbourhood, Neighbourhood__Output as _superpeer_v1_Neighbourhood__Output } from './superpeer/v1/Neighbourhood.js';
import type { NodeInfo as _superpeer_v1_NodeInfo, NodeInfo__Output as _superpeer_v1_NodeInfo__Output } from './superpeer/v1/NodeInfo.js';
import type { OverlayClient as _superpeer_v1_OverlayClient, OverlayDefinition as _superpeer_v1_OverlayDefinition } from './superpeer/v1/Overlay.js';
import type { Ping as _superpeer_v1_Ping, Ping__Output as _superpeer_v1_Ping__Output } from './superpeer/v1/Ping.js';
import type { Pong as _superpeer_v1_Pong, Pong__Output as _superpeer_v1_Pong__Output } from './superpeer/v1/Pong.js';
import type { Push as _superpeer_v1_Push, Push__Output as _superpeer_v1_Push__Output } from './superpeer/v1/Push.js';
import type { PushRequest as _superpeer_v1_PushRequest, PushRequest__Output as _superpeer_v1_PushRequest__Output } from './superpeer/v1/PushRequest.js';
import type { PushResponse as _superpeer_v1_PushResponse, PushResponse__Output as _superpeer_v1_PushResponse__Output } from './superpeer/v1/PushResponse.js';
import type { Query as _superpeer_v1_Query, Query__Output as _superpeer_v1_Query__Output } from './superpeer/v1/Query.js';
import type { QueryHit as _superpeer_v1_QueryHit, QueryHit__Output as _superpeer_v1_QueryHit__Output } from './superpeer/v1/QueryHit.js';
import type { Redirect as _superpeer_v1_Redirect, Redirect__Output as _superpeer_v1_Redirect__Output } from './superpeer/v1/Redirect.js';
import type { Reject as _superpeer_v1_Reject, Reject__Output as _superpeer_v1_Reject__Output } from './superpeer/v1/Reject.js';
import type { RoleHint as _superpeer_v1_RoleHint, RoleHint__Output as _superpeer_v1_RoleHint__Output } from './superpeer/v1/RoleHint.js';
import type { RouteTable as _superpeer_v1_RouteTable, RouteTable__Output as _superpeer_v1_RouteTable__Output } from './superpeer/v1/RouteTable.js';
import type { SearchRequest as _superpeer_v1_SearchRequest, SearchRequest__Output as _superpeer_v1_SearchRequest__Output } from './superpeer/v1/SearchRequest.js';
import type { SearchResult as _superpeer_v1_SearchResult, SearchResult__Output as _superpeer_v1_SearchResult__Output } from './superpeer/v1/SearchResult.js';
import type { ShareUpdate as _superpeer_v1_ShareUpdate, ShareUpdate__Output as _superpeer_v1_ShareUpdate__Output } from './superpeer/v1/ShareUpdate.js';
import type { SharedFile as _superpeer_v1_SharedFile, SharedFile__Output as _superpeer_v1_SharedFile__Output } from './superpeer/v1/SharedFile.js';
import type { StatusRequest as _superpeer_v1_StatusRequest, StatusRequest__Output as _superpeer_v1_StatusRequest__Output } from './superpeer/v1/StatusRequest.js';
import type { StatusResponse as _superpeer_v1_StatusResponse, StatusResponse__Output as _superpeer_v1_StatusResponse__Output } from './superpeer/v1/StatusResponse.js';
import type { SupernodeMessage as _superpeer_v1_SupernodeMessage, SupernodeMessage__Output as _superpeer_v1_SupernodeMessage__Output } from './superpeer/v1/SupernodeMessage.js';
import type { TopologyLink as _superpeer_v1_TopologyLink, TopologyLink__Output as _superpeer_v1_TopologyLink__Output } from './superpeer/v1/TopologyLink.js';
import type { TopologyNode as _superpeer_v1_TopologyNode, TopologyNode__Output as _superpeer_v1_TopologyNode__Output } from './superpeer/v1/TopologyNode.js';
import type { TopologyRequest as _superpeer_v1_TopologyRequest, TopologyRequest__Output as _superpeer_v1_TopologyRequest__Output } from './superpeer/v1/TopologyRequest.js';
import type { TopologyResponse as _superpeer_v1_TopologyResponse, TopologyResponse__Output as _superpeer_v1_TopologyResponse__Output } from './superpeer/v1/TopologyResponse.js';
import type { Uplink as _superpeer_v1_Uplink, Uplink__Output as _superpeer_v1_Uplink__Output } from './superpeer/v1/Uplink.js';
import type { Welcome as _superpeer_v1_Welcome, Welcome__Output as _superpeer_v1_Welcome__Output } from './superpeer/v1/Welcome.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  superpeer: {
    v1: {
      Alternatives: MessageTypeDefinition<_superpeer_v1_Alternatives, _superpeer_v1_Alternatives__Output>
      ChordAck: MessageTypeDefinition<_superpeer_v1_ChordAck, _superpeer_v1_ChordAck__Output>
      ChordFetch: MessageTypeDefinition<_superpeer_v1_ChordFetch, _superpeer_v1_ChordFetch__Output>
      ChordFindSuccessor: MessageTypeDefinition<_superpeer_v1_ChordFindSuccessor, _superpeer_v1_ChordFindSuccessor__Output>
      ChordFound: MessageTypeDefinition<_superpeer_v1_ChordFound, _superpeer_v1_ChordFound__Output>
      ChordGetState: MessageTypeDefinition<_superpeer_v1_ChordGetState, _superpeer_v1_ChordGetState__Output>
      ChordMessage: MessageTypeDefinition<_superpeer_v1_ChordMessage, _superpeer_v1_ChordMessage__Output>
      ChordNotify: MessageTypeDefinition<_superpeer_v1_ChordNotify, _superpeer_v1_ChordNotify__Output>
      ChordProviders: MessageTypeDefinition<_superpeer_v1_ChordProviders, _superpeer_v1_ChordProviders__Output>
      ChordRecord: MessageTypeDefinition<_superpeer_v1_ChordRecord, _superpeer_v1_ChordRecord__Output>
      ChordRef: MessageTypeDefinition<_superpeer_v1_ChordRef, _superpeer_v1_ChordRef__Output>
      ChordState: MessageTypeDefinition<_superpeer_v1_ChordState, _superpeer_v1_ChordState__Output>
      ChordStore: MessageTypeDefinition<_superpeer_v1_ChordStore, _superpeer_v1_ChordStore__Output>
      Client: SubtypeConstructor<typeof grpc.Client, _superpeer_v1_ClientClient> & { service: _superpeer_v1_ClientDefinition }
      Counter: MessageTypeDefinition<_superpeer_v1_Counter, _superpeer_v1_Counter__Output>
      Descriptor: MessageTypeDefinition<_superpeer_v1_Descriptor, _superpeer_v1_Descriptor__Output>
      Descriptors: MessageTypeDefinition<_superpeer_v1_Descriptors, _superpeer_v1_Descriptors__Output>
      FileResult: MessageTypeDefinition<_superpeer_v1_FileResult, _superpeer_v1_FileResult__Output>
      Header: MessageTypeDefinition<_superpeer_v1_Header, _superpeer_v1_Header__Output>
      LeafEntry: MessageTypeDefinition<_superpeer_v1_LeafEntry, _superpeer_v1_LeafEntry__Output>
      LeafHello: MessageTypeDefinition<_superpeer_v1_LeafHello, _superpeer_v1_LeafHello__Output>
      LeafMessage: MessageTypeDefinition<_superpeer_v1_LeafMessage, _superpeer_v1_LeafMessage__Output>
      LinkHello: MessageTypeDefinition<_superpeer_v1_LinkHello, _superpeer_v1_LinkHello__Output>
      LinkMessage: MessageTypeDefinition<_superpeer_v1_LinkMessage, _superpeer_v1_LinkMessage__Output>
      LocateRequest: MessageTypeDefinition<_superpeer_v1_LocateRequest, _superpeer_v1_LocateRequest__Output>
      LocateResponse: MessageTypeDefinition<_superpeer_v1_LocateResponse, _superpeer_v1_LocateResponse__Output>
      Neighbour: MessageTypeDefinition<_superpeer_v1_Neighbour, _superpeer_v1_Neighbour__Output>
      Neighbourhood: MessageTypeDefinition<_superpeer_v1_Neighbourhood, _superpeer_v1_Neighbourhood__Output>
      NodeInfo: MessageTypeDefinition<_superpeer_v1_NodeInfo, _superpeer_v1_NodeInfo__Output>
      Overlay: SubtypeConstructor<typeof grpc.Client, _superpeer_v1_OverlayClient> & { service: _superpeer_v1_OverlayDefinition }
      PayloadType: EnumTypeDefinition
      Ping: MessageTypeDefinition<_superpeer_v1_Ping, _superpeer_v1_Ping__Output>
      Pong: MessageTypeDefinition<_superpeer_v1_Pong, _superpeer_v1_Pong__Output>
      Push: MessageTypeDefinition<_superpeer_v1_Push, _superpeer_v1_Push__Output>
      PushRequest: MessageTypeDefinition<_superpeer_v1_PushRequest, _superpeer_v1_PushRequest__Output>
      PushResponse: MessageTypeDefinition<_superpeer_v1_PushResponse, _superpeer_v1_PushResponse__Output>
      Query: MessageTypeDefinition<_superpeer_v1_Query, _superpeer_v1_Query__Output>
      QueryHit: MessageTypeDefinition<_superpeer_v1_QueryHit, _superpeer_v1_QueryHit__Output>
      Redirect: MessageTypeDefinition<_superpeer_v1_Redirect, _superpeer_v1_Redirect__Output>
      Reject: MessageTypeDefinition<_superpeer_v1_Reject, _superpeer_v1_Reject__Output>
      RoleHint: MessageTypeDefinition<_superpeer_v1_RoleHint, _superpeer_v1_RoleHint__Output>
      RouteTable: MessageTypeDefinition<_superpeer_v1_RouteTable, _superpeer_v1_RouteTable__Output>
      SearchRequest: MessageTypeDefinition<_superpeer_v1_SearchRequest, _superpeer_v1_SearchRequest__Output>
      SearchResult: MessageTypeDefinition<_superpeer_v1_SearchResult, _superpeer_v1_SearchResult__Output>
      ShareUpdate: MessageTypeDefinition<_superpeer_v1_ShareUpdate, _superpeer_v1_ShareUpdate__Output>
      SharedFile: MessageTypeDefinition<_superpeer_v1_SharedFile, _superpeer_v1_SharedFile__Output>
      StatusRequest: MessageTypeDefinition<_superpeer_v1_StatusRequest, _superpeer_v1_StatusRequest__Output>
      StatusResponse: MessageTypeDefinition<_superpeer_v1_StatusResponse, _superpeer_v1_StatusResponse__Output>
      SupernodeMessage: MessageTypeDefinition<_superpeer_v1_SupernodeMessage, _superpeer_v1_SupernodeMessage__Output>
      TopologyLink: MessageTypeDefinition<_superpeer_v1_TopologyLink, _superpeer_v1_TopologyLink__Output>
      TopologyNode: MessageTypeDefinition<_superpeer_v1_TopologyNode, _superpeer_v1_TopologyNode__Output>
      TopologyRequest: MessageTypeDefinition<_superpeer_v1_TopologyRequest, _superpeer_v1_TopologyRequest__Output>
      TopologyResponse: MessageTypeDefinition<_superpeer_v1_TopologyResponse, _superpeer_v1_TopologyResponse__Output>
      Uplink: MessageTypeDefinition<_superpeer_v1_Uplink, _superpeer_v1_Uplink__Output>
      Welcome: MessageTypeDefinition<_superpeer_v1_Welcome, _superpeer_v1_Welcome__Output>
    }
  }
}

