import type { Quota } from "./model";

/**
 * Department quotas, shared by the register rule (filed resources) and the stack policy (the VMs a
 * stack asks for): both group by department and compare sums with the same limits.
 */

export const QUOTA_KEYS: readonly (keyof Quota)[] = ["cpu", "memoryGiB", "diskGiB"];

/** The limits `used` goes over, in the order cpu, memory, disk. */
export function overQuota(used: Quota, quota: Quota): (keyof Quota)[] {
  return QUOTA_KEYS.filter((k) => used[k] > quota[k]);
}
