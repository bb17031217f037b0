// Every Redis key of superpeer, built here and nowhere else:
// `superpeer:<kind>:<id>`. Ids are node ids, keywords or hex hashes; none
// contains a newline, which is the member separator used in sets below.
//
//   superpeer:node:<nodeId>          string  JSON NodeRecord, PX = heartbeat TTL
//   superpeer:nodes:all              set     node ids ever announced (pruned when the record is gone)
//   superpeer:scores:all             zset    nodeId → participation score (pruned with the set)
//   superpeer:supernode:<nodeId>     string  JSON SupernodeEntry, PX = directory TTL
//   superpeer:supernodes:all         set     supernode ids (pruned when the entry is gone)
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
  supernodeIds: (): string => key('supernodes', 'all'),
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
