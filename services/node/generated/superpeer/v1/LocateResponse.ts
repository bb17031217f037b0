// Original file: proto/superpeer/v1/overlay.proto

import type { SearchResult as _superpeer_v1_SearchResult, SearchResult__Output as _superpeer_v1_SearchResult__Output } from '../../superpeer/v1/SearchResult.js';

export interface LocateResponse {
  'sources'?: (_superpeer_v1_SearchResult)[];
}

export interface LocateResponse__Output {
  'sources': (_superpeer_v1_SearchResult__Output)[];
}
