// Original file: proto/superpeer/v1/overlay.proto

import type { LinkHello as _superpeer_v1_LinkHello, LinkHello__Output as _superpeer_v1_LinkHello__Output } from '../../superpeer/v1/LinkHello.js';
import type { Descriptor as _superpeer_v1_Descriptor, Descriptor__Output as _superpeer_v1_Descriptor__Output } from '../../superpeer/v1/Descriptor.js';
import type { Reject as _superpeer_v1_Reject, Reject__Output as _superpeer_v1_Reject__Output } from '../../superpeer/v1/Reject.js';
import type { RouteTable as _superpeer_v1_RouteTable, RouteTable__Output as _superpeer_v1_RouteTable__Output } from '../../superpeer/v1/RouteTable.js';
import type { Neighbourhood as _superpeer_v1_Neighbourhood, Neighbourhood__Output as _superpeer_v1_Neighbourhood__Output } from '../../superpeer/v1/Neighbourhood.js';
import type { Descriptors as _superpeer_v1_Descriptors, Descriptors__Output as _superpeer_v1_Descriptors__Output } from '../../superpeer/v1/Descriptors.js';

export interface LinkMessage {
  'hello'?: (_superpeer_v1_LinkHello | null);
  'descriptor'?: (_superpeer_v1_Descriptor | null);
  'reject'?: (_superpeer_v1_Reject | null);
  'route_table'?: (_superpeer_v1_RouteTable | null);
  'neighbourhood'?: (_superpeer_v1_Neighbourhood | null);
  'batch'?: (_superpeer_v1_Descriptors | null);
  'body'?: "hello"|"descriptor"|"reject"|"route_table"|"neighbourhood"|"batch";
}

export interface LinkMessage__Output {
  'hello'?: (_superpeer_v1_LinkHello__Output | null);
  'descriptor'?: (_superpeer_v1_Descriptor__Output | null);
  'reject'?: (_superpeer_v1_Reject__Output | null);
  'route_table'?: (_superpeer_v1_RouteTable__Output | null);
  'neighbourhood'?: (_superpeer_v1_Neighbourhood__Output | null);
  'batch'?: (_superpeer_v1_Descriptors__Output | null);
  'body'?: "hello"|"descriptor"|"reject"|"route_table"|"neighbourhood"|"batch";
}
