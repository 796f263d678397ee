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

export function factsOf(filing: Filing): FilingFacts {
  const { decommission, onlineSince } = filing;
  return {
    id: filing.id,
    department: filing.department,
    type: filing.type,
    status: filing.status,
    zone: filing.network.zone,
    ip: filing.network.ip,
    cpu: filing.resources.cpu,
    memoryGiB: filing.resources.memoryGiB,
    diskGiB: totalDiskGiB(filing.resources.disks),
    period: { start: filing.period.start, months: filing.period.months },
    maintenance: filing.maintenance !== undefined,
    ...(onlineSince === undefined ? {} : { onlineSince }),
    ...(decommission === undefined
      ? {}
      : {
          decommission: {
            ...(decommission.requestedAt === undefined ? {} : { requestedAt: decommission.requestedAt }),
            ...(decommission.backupTakenAt === undefined ? {} : { backupTakenAt: decommission.backupTakenAt }),
          },
        }),
  };
}
