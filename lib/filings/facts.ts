import type { Filing, ServerType, Status, Zone } from "./model";

/**
 * What the register-wide rules read of one filing: the rules that look across files (uniqueness,
 * quotas, counts) and the ones that depend on the day or on the change under review. Plain JSON, so
 * that the validation cache (scripts/cli/validate-cache.ts) can keep it per file content and a warm
 * run needs no YAML parse for a file it has seen.
 */
export interface FilingFacts {
  readonly id: string;
  readonly department: string;
  readonly type: ServerType;
  readonly status: Status;
  readonly zone: Zone;
  readonly ip: string;
  readonly cpu: number;
  readonly memoryGiB: number;
  /** All disks together. */
  readonly diskGiB: number;
  readonly period: { readonly start: string; readonly months: number };
  /** Whether maintenance is filled in (physical servers need it, virtual ones do not). */
  readonly maintenance: boolean;
  readonly onlineSince?: string;
  readonly decommission?: { readonly requestedAt?: string; readonly backupTakenAt?: string };
}

export function totalDiskGiB(disks: readonly { sizeGiB: number }[]): number {
  return disks.reduce((sum, d) => sum + d.sizeGiB, 0);
}

/**
 * Each fact and how it is read from a filing: factsOf reads them all; a file the schema refused gets
 * the ones it can read from valid values (lib/validate.ts), so the register rules that need only
 * those (an IP conflict, say) still cover it.
 */
export const FACT_READERS: { readonly [K in keyof FilingFacts]-?: (filing: Filing) => FilingFacts[K] } = {
  id: (f) => f.id,
  department: (f) => f.department,
  type: (f) => f.type,
  status: (f) => f.status,
  zone: (f) => f.network.zone,
  ip: (f) => f.network.ip,
  cpu: (f) => f.resources.cpu,
  memoryGiB: (f) => f.resources.memoryGiB,
  diskGiB: (f) => totalDiskGiB(f.resources.disks),
  period: (f) => ({ start: f.period.start, months: f.period.months }),
  maintenance: (f) => f.maintenance !== undefined,
  onlineSince: (f) => f.onlineSince,
  decommission: ({ decommission }) =>
    decommission === undefined
      ? undefined
      : {
          ...(decommission.requestedAt === undefined ? {} : { requestedAt: decommission.requestedAt }),
          ...(decommission.backupTakenAt === undefined ? {} : { backupTakenAt: decommission.backupTakenAt }),
        },
};

const READERS = Object.entries(FACT_READERS) as [keyof FilingFacts, (filing: Filing) => unknown][];

export function factsOf(filing: Filing): FilingFacts {
  // An optional fact the filing does not have is left out, not set to undefined (plain JSON).
  const facts: Record<string, unknown> = {};
  for (const [key, read] of READERS) {
    const value = read(filing);
    if (value !== undefined) facts[key] = value;
  }
  return facts as unknown as FilingFacts;
}
