// What a node's topology crawls did so far, for its Status counters crawl_*.
const totals = new WeakMap<object, { dialled: number; mismatched: number; badAddresses: number }>();

export function crawlTotals(node: object): { dialled: number; mismatched: number; badAddresses: number } {
  let t = totals.get(node);
  if (!t) totals.set(node, (t = { dialled: 0, mismatched: 0, badAddresses: 0 }));
  return t;
}
