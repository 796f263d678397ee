/**
 * Groups items by a key, keeping first-seen key order and the items' order within a group. Items
 * whose key is undefined belong to no group: callers use that for "not known yet" (an unresolved
 * VM id, a firewall without a parent) rather than filtering twice.
 */
export function groupBy<T, K>(items: Iterable<T>, key: (item: T) => K | undefined): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
