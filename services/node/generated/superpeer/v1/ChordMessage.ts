// Original file: proto/superpeer/v1/overlay.proto

import type { ChordFindSuccessor as _superpeer_v1_ChordFindSuccessor, ChordFindSuccessor__Output as _superpeer_v1_ChordFindSuccessor__Output } from '../../superpeer/v1/ChordFindSuccessor.js';
import type { ChordFound as _superpeer_v1_ChordFound, ChordFound__Output as _superpeer_v1_ChordFound__Output } from '../../superpeer/v1/ChordFound.js';
import type { ChordGetState as _superpeer_v1_ChordGetState, ChordGetState__Output as _superpeer_v1_ChordGetState__Output } from '../../superpeer/v1/ChordGetState.js';
import type { ChordState as _superpeer_v1_ChordState, ChordState__Output as _superpeer_v1_ChordState__Output } from '../../superpeer/v1/ChordState.js';
import type { ChordNotify as _superpeer_v1_ChordNotify, ChordNotify__Output as _superpeer_v1_ChordNotify__Output } from '../../superpeer/v1/ChordNotify.js';
import type { ChordStore as _superpeer_v1_ChordStore, ChordStore__Output as _superpeer_v1_ChordStore__Output } from '../../superpeer/v1/ChordStore.js';
import type { ChordFetch as _superpeer_v1_ChordFetch, ChordFetch__Output as _superpeer_v1_ChordFetch__Output } from '../../superpeer/v1/ChordFetch.js';
import type { ChordProviders as _superpeer_v1_ChordProviders, ChordProviders__Output as _superpeer_v1_ChordProviders__Output } from '../../superpeer/v1/ChordProviders.js';
import type { ChordRef as _superpeer_v1_ChordRef, ChordRef__Output as _superpeer_v1_ChordRef__Output } from '../../superpeer/v1/ChordRef.js';

export interface ChordMessage {
  'find_successor'?: (_superpeer_v1_ChordFindSuccessor | null);
  'found'?: (_superpeer_v1_ChordFound | null);
  'get_state'?: (_superpeer_v1_ChordGetState | null);
  'state'?: (_superpeer_v1_ChordState | null);
  'notify'?: (_superpeer_v1_ChordNotify | null);
  'store'?: (_superpeer_v1_ChordStore | null);
  'fetch'?: (_superpeer_v1_ChordFetch | null);
  'providers'?: (_superpeer_v1_ChordProviders | null);
  'to'?: (_superpeer_v1_ChordRef | null);
  'body'?: "find_successor"|"found"|"get_state"|"state"|"notify"|"store"|"fetch"|"providers";
}

export interface ChordMessage__Output {
  'find_successor'?: (_superpeer_v1_ChordFindSuccessor__Output | null);
  'found'?: (_superpeer_v1_ChordFound__Output | null);
  'get_state'?: (_superpeer_v1_ChordGetState__Output | null);
  'state'?: (_superpeer_v1_ChordState__Output | null);
  'notify'?: (_superpeer_v1_ChordNotify__Output | null);
  'store'?: (_superpeer_v1_ChordStore__Output | null);
  'fetch'?: (_superpeer_v1_ChordFetch__Output | null);
  'providers'?: (_superpeer_v1_ChordProviders__Output | null);
  'to': (_superpeer_v1_ChordRef__Output | null);
  'body'?: "find_successor"|"found"|"get_state"|"state"|"notify"|"store"|"fetch"|"providers";
}
