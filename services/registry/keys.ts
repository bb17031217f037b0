// Every Redis key of superpeer, built here and nowhere else:
// `superpeer:<kind>:<id>`. Ids are node ids, keywords or hex hashes; none
// contains a newline, which is the member separator used in sets below.
//
//   superpeer:node:<nodeId>          string  JSON NodeRecord, PX = heartbeat TTL
//   superpeer:nodes:all              set     node ids ever announced (pruned when the record is gone)
//   superpeer:scores:all             zset    nodeId → participation score (pruned with the set)
//   superpeer:supernode:<nodeId>     string  JSON SupernodeEntry, PX = directory TTL
//   superpeer:supernodes:expiry      zset    supernode id → when its entry expires (ms); pruned by readers
//   superpeer:supernodes:changes     zset    live supernode id → directory version of its last change
//   superpeer:supernodes:removed     zset    removed supernode id → version of the removal (bounded)
//   superpeer:supernodes:version     integer directory version (starts at the clock, so it grows across restarts)
//   superpeer:supernodes:floor       integer removals up to this version were forgotten
//   superpeer:candidate:<nodeId>     string  JSON CandidateEntry, PX = report TTL
//   superpeer:candidates:<zone>      zset    eligible candidate id → score (pruned when the entry is gone)
//   superpeer:waiting:<zone>         zset    id of a peer without supernode → when its report expires (ms)
//   superpeer:zones:all              set     zones with candidates or waiting peers
//   superpeer:lease:election         string  "<holder>\n<token>", PX = lease TTL
//   superpeer:fence:election         integer fencing-token counter (INCR; never expires)
//   superpeer:role:<nodeId>          string  "<role>\n<token>" the leader's decision, PX = assignment TTL
//   superpeer:files:<nodeId>         hash    sha256 → JSON {name,size} (central mode)
//   superpeer:term:<keyword>         set     "<nodeId>\n<sha256>" of files whose name has the keyword
//   superpeer:hash:<sha256>          set     node ids offering that content

const PREFIX = 'superpeer';

function key(kind: string, id: string): string {
  return `${PREFIX}:${kind}:${id}`;
}

export const keys = {
  node: (nodeId: string): string => key('node', nodeId),
  nodeIds: (): string => key('nodes', 'all'),
  scores: (): string => key('scores', 'all'),
  supernode: (nodeId: string): string => key('supernode', nodeId),
  supernodeExpiry: (): string => key('supernodes', 'expiry'),
  supernodeChanges: (): string => key('supernodes', 'changes'),
  supernodeRemoved: (): string => key('supernodes', 'removed'),
  directoryVersion: (): string => key('supernodes', 'version'),
  directoryFloor: (): string => key('supernodes', 'floor'),
  /** Prefix of supernode entries, for scripts that build the keys of ids they read. */
  supernodePrefix: (): string => key('supernode', ''),
  candidate: (nodeId: string): string => key('candidate', nodeId),
  candidates: (zone: string): string => key('candidates', zone),
  waiting: (zone: string): string => key('waiting', zone),
  zones: (): string => key('zones', 'all'),
  /** Prefix of all keys, for scripts that build per-zone keys. */
  prefix: (): string => `${PREFIX}:`,
  lease: (name = 'election'): string => key('lease', name),
  fence: (name = 'election'): string => key('fence', name),
  role: (nodeId: string): string => key('role', nodeId),
  files: (nodeId: string): string => key('files', nodeId),
  term: (keyword: string): string => key('term', keyword),
  hash: (sha256: string): string => key('hash', sha256),
} as const;

/** Member of a term set: which node offers which file. */
export function fileMember(nodeId: string, sha256: string): string {
  return `${nodeId}\n${sha256}`;
}

export function parseFileMember(member: string): { nodeId: string; sha256: string } {
  const i = member.lastIndexOf('\n');
  return { nodeId: member.slice(0, i), sha256: member.slice(i + 1) };
}
