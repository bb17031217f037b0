// Original file: proto/superpeer/v1/overlay.proto

import type { LeafHello as _superpeer_v1_LeafHello, LeafHello__Output as _superpeer_v1_LeafHello__Output } from '../../superpeer/v1/LeafHello.js';
import type { ShareUpdate as _superpeer_v1_ShareUpdate, ShareUpdate__Output as _superpeer_v1_ShareUpdate__Output } from '../../superpeer/v1/ShareUpdate.js';
import type { Descriptor as _superpeer_v1_Descriptor, Descriptor__Output as _superpeer_v1_Descriptor__Output } from '../../superpeer/v1/Descriptor.js';
import type { RouteTable as _superpeer_v1_RouteTable, RouteTable__Output as _superpeer_v1_RouteTable__Output } from '../../superpeer/v1/RouteTable.js';
import type { Descriptors as _superpeer_v1_Descriptors, Descriptors__Output as _superpeer_v1_Descriptors__Output } from '../../superpeer/v1/Descriptors.js';

export interface LeafMessage {
  'hello'?: (_superpeer_v1_LeafHello | null);
  'shares'?: (_superpeer_v1_ShareUpdate | null);
  'descriptor'?: (_superpeer_v1_Descriptor | null);
  'route_table'?: (_superpeer_v1_RouteTable | null);
  'batch'?: (_superpeer_v1_Descriptors | null);
  'body'?: "hello"|"shares"|"descriptor"|"route_table"|"batch";
}

export interface LeafMessage__Output {
  'hello'?: (_superpeer_v1_LeafHello__Output | null);
  'shares'?: (_superpeer_v1_ShareUpdate__Output | null);
  'descriptor'?: (_superpeer_v1_Descriptor__Output | null);
  'route_table'?: (_superpeer_v1_RouteTable__Output | null);
  'batch'?: (_superpeer_v1_Descriptors__Output | null);
  'body'?: "hello"|"shares"|"descriptor"|"route_table"|"batch";
}
