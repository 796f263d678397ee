/**
 * Institution config, read from `policies/*.yaml` and validated against `policies/schemas/`.
 * test/filings/model.test.ts fails when these types drift from the schemas.
 */

/** A GitHub user (`@login`) or team (`@org/team`), written as in CODEOWNERS. */
export type Principal = string;

export interface Quota {
  cpu: number;
  memoryGiB: number;
  diskGiB: number;
}

export interface SecurityGroup {
  leader: string;
  networkAdmin: string;
  securityOfficer: string;
}

export interface Department {
  slug: string;
  name: string;
  /** The campus code a stack can own filings by (`server-filings:owns.campuses`). */
  campus?: string;
  roles: { departmentHead: Principal[]; schoolLeader: Principal[] };
  /** Who files for the department; a PR author listed here may change this department's filings only. */
  members?: Principal[];
  quota: Quota;
  securityGroup?: SecurityGroup;
}

export interface ForbiddenPort {
  port: number;
  protocol: "tcp" | "udp" | "any";
  reason: string;
  /** The reason in English, for English messages; the Chinese one when absent. */
  reasonEn?: string;
}

/** A port (or range) through which attacks arrive: open externally only justified and restricted. */
export interface SensitivePort {
  port: number;
  /** The range's last port, when it is a range (135–139). */
  to?: number;
  protocol: "tcp" | "udp" | "any";
  name: string;
  nameEn?: string;
  reason: string;
  reasonEn?: string;
}

export interface Limits {
  perVm: { cpu: number; memoryGiB: number; diskGiB: number; disks: number };
  forbiddenPorts: ForbiddenPort[];
  sensitivePorts: SensitivePort[];
  minLogRetentionDays: number;
  maxPeriodMonths: number;
  expiryGraceDays: number;
  physicalFilingDeadlineDays: number;
  securityGroupThreshold: number;
}

export interface AddressRange {
  from: string;
  to: string;
}

export interface NetworkZone {
  name: string;
  subnet: string;
  pool: AddressRange[];
  gateway: string;
  dns: string[];
}

export interface Networks {
  zones: { internal: NetworkZone; external: NetworkZone };
}

export interface Letters {
  current: string;
  accepted: string[];
}

/** The form's four signatures, in the form's order. */
export const ROLES = ["departmentHead", "schoolLeader", "informationCenterHead", "securityLeader"] as const;
export type Role = (typeof ROLES)[number];

export const CHANGE_KINDS = ["new", "increase", "decrease", "renewal", "metadata", "decommission", "delete"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface Approvals {
  /** School-level role holders; the department-level ones are in Department.roles. */
  holders: { informationCenterHead: Principal[]; securityLeader: Principal[] };
  /** Roles each change kind needs; `protected` is a change to policies/, stacks/, .github/ or CODEOWNERS. */
  required: Record<ChangeKind | "protected", Role[]>;
  ordered: boolean;
  allowOnePersonTwoRoles: boolean;
  /** Names (and titles) of role holders by @login or @org/team: what leaders read instead of logins. */
  people?: Record<string, string>;
}

/** Who the school is (policies/institution.yaml, optional): the heads of reports, the form and the desk. */
export interface Institution {
  name: string;
  nameEn?: string;
  /** The unit that receives filings and runs the servers: the monthly report's sender. */
  informationCenter: string;
  /** The public-security unit the monthly report goes to. */
  reportsTo: string;
}

export interface InstitutionConfig {
  departments: Department[];
  limits: Limits;
  networks: Networks;
  letters: Letters;
  approvals: Approvals;
  /** The version the letter text in policies/responsibility-letter.md declares. */
  letterTextVersion?: string;
  /** Absent when policies/institution.yaml is: the heads then name no school. */
  institution?: Institution;
}

/** The config files under `policies/`, each with the schema it must satisfy. */
export const CONFIG_FILES = {
  departments: "policies/departments.yaml",
  limits: "policies/limits.yaml",
  networks: "policies/networks.yaml",
  letters: "policies/letters.yaml",
  approvals: "policies/approvals.yaml",
} as const;

export const LETTER_TEXT_FILE = "policies/responsibility-letter.md";

/** The one optional config file. */
export const INSTITUTION_FILE = "policies/institution.yaml";

/** Every file the institution config is read from. */
export const CONFIG_SOURCE_PATHS: readonly string[] = [...Object.values(CONFIG_FILES), LETTER_TEXT_FILE, INSTITUTION_FILE];
