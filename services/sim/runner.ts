// What every search mode offers the simulation loop.
import type { Catalogue } from './catalogue.js';
import type { SearchRecord, SimNetwork } from './network.js';
import type { SimParams } from './params.js';
import type { Population } from './population.js';

export interface SimContext {
  p: SimParams;
  pop: Population;
  cat: Catalogue;
  net: SimNetwork;
  random: () => number;
}

export interface ModeRunner {
  /** Peers that may start searches (real core objects where the mode has them). */
  searchers: number[];
  /** Starts a search for catalogue file k at `searcher`; `done` when it ends. False when it cannot start. */
  search(searcher: number, k: number, rec: SearchRecord, done: () => void): boolean;
  depart(i: number): void;
  arrive(i: number): void;
  /** Queries handled and leaves held per serving node (supernodes, every peer in flood, the index in central). */
  load(): { queries: number[]; leaves: number[] };
  /** Mode-specific numbers for the report. */
  extra(): Record<string, number>;
  /** Mode-specific structured report (dht: key load, maintenance, failures, locality). */
  details?(): Record<string, unknown>;
}
