/**
 * The filing as the rest of the code sees it once it passed `filings/filing.schema.json`.
 * Written by hand for readable types; test/filings/model.test.ts fails when it drifts from the schema.
 */
export type ServerType = "virtual" | "physical";
export type Scope = "school" | "department";
export type Zone = "internal" | "external";
export type Status = "active" | "decommissioned";

export interface Contact {
  name: string;
  title: string;
  phone: string;
  email: string;
}

/** A sensitive port opened to the Internet: why, and from where only. */
export interface Exposure {
  /** One of `network.ports`, e.g. `22/tcp`. */
  port: string;
  reason: string;
  /** CIDRs allowed to reach it, e.g. the school's VPN range. */
  sources: string[];
}

export interface Filing {
  id: string;
  department: string;
  type: ServerType;
  purpose: string;
  scope: Scope;
  /** `account`: the administrator's forge login (`@login`), whom expiry reminders are assigned to. */
  administrator: Contact & { account?: string };
  period: { start: string; months: number };
  resources: { cpu: number; memoryGiB: number; disks: { sizeGiB: number }[] };
  network: { zone: Zone; ip: string; ports: string[]; exposures?: Exposure[] };
  operations: { backup: { daily: boolean; secondCopy: boolean }; logRetentionDays: number };
  commitments: { responsibilityLetter: string };
  status: Status;
  remarks?: string;
  maintenance?: {
    vendor: string;
    underWarranty: boolean;
    technician: { name: string; phone: string };
  };
  onlineSince?: string;
  decommission?: { requestedAt: string; backupTakenAt?: string };
}

/** Top-level keys in the order the guide and `filing new` write them. */
export const FILING_KEYS: readonly (keyof Filing)[] = [
  "id",
  "department",
  "type",
  "purpose",
  "scope",
  "administrator",
  "period",
  "resources",
  "network",
  "operations",
  "commitments",
  "status",
  "remarks",
  "maintenance",
  "onlineSince",
  "decommission",
];
