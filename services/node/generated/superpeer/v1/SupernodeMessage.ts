// Original file: proto/superpeer/v1/overlay.proto

import type { Welcome as _superpeer_v1_Welcome, Welcome__Output as _superpeer_v1_Welcome__Output } from '../../superpeer/v1/Welcome.js';
import type { Descriptor as _superpeer_v1_Descriptor, Descriptor__Output as _superpeer_v1_Descriptor__Output } from '../../superpeer/v1/Descriptor.js';
import type { Reject as _superpeer_v1_Reject, Reject__Output as _superpeer_v1_Reject__Output } from '../../superpeer/v1/Reject.js';
import type { Redirect as _superpeer_v1_Redirect, Redirect__Output as _superpeer_v1_Redirect__Output } from '../../superpeer/v1/Redirect.js';
import type { Descriptors as _superpeer_v1_Descriptors, Descriptors__Output as _superpeer_v1_Descriptors__Output } from '../../superpeer/v1/Descriptors.js';
import type { Alternatives as _superpeer_v1_Alternatives, Alternatives__Output as _superpeer_v1_Alternatives__Output } from '../../superpeer/v1/Alternatives.js';
import type { RoleHint as _superpeer_v1_RoleHint, RoleHint__Output as _superpeer_v1_RoleHint__Output } from '../../superpeer/v1/RoleHint.js';

export interface SupernodeMessage {
  'welcome'?: (_superpeer_v1_Welcome | null);
  'descriptor'?: (_superpeer_v1_Descriptor | null);
  'reject'?: (_superpeer_v1_Reject | null);
  'redirect'?: (_superpeer_v1_Redirect | null);
  'batch'?: (_superpeer_v1_Descriptors | null);
  'alternatives'?: (_superpeer_v1_Alternatives | null);
  'role_hint'?: (_superpeer_v1_RoleHint | null);
  'body'?: "welcome"|"descriptor"|"reject"|"redirect"|"batch"|"alternatives"|"role_hint";
}

export interface SupernodeMessage__Output {
  'welcome'?: (_superpeer_v1_Welcome__Output | null);
  'descriptor'?: (_superpeer_v1_Descriptor__Output | null);
  'reject'?: (_superpeer_v1_Reject__Output | null);
  'redirect'?: (_superpeer_v1_Redirect__Output | null);
  'batch'?: (_superpeer_v1_Descriptors__Output | null);
  'alternatives'?: (_superpeer_v1_Alternatives__Output | null);
  'role_hint'?: (_superpeer_v1_RoleHint__Output | null);
  'body'?: "welcome"|"descriptor"|"reject"|"redirect"|"batch"|"alternatives"|"role_hint";
}
