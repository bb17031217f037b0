// Which supernodes a supernode links to from the directory: those whose IDs
// follow its own on a ring of IDs, so every supernode picks different ones
// and the graph stays connected without coordination. Pure.

/** Supernode links dialled from the directory; with the links others dial, about twice this many. */
export const DIRECTORY_LINKS = 3;

export function chooseLinks<T extends { id: string }>(selfId: string, entries: readonly T[], max = DIRECTORY_LINKS): T[] {
  const sorted = entries.filter((e) => e.id !== selfId).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const after = sorted.filter((e) => e.id > selfId);
  const before = sorted.filter((e) => e.id < selfId);
  return [...after, ...before].slice(0, Math.max(0, max));
}
