import type { Department } from "../config/model";
import type { Zone } from "../filings/model";
import { msg, type Message } from "../messages";

/**
 * Which filings a stack provisions (`server-filings:owns` in its stack file): those whose
 * department's campus, department and zone match every selector the stack names (within one
 * selector, any of its values). A stack that names none owns every filing: a school with one stack
 * writes nothing. Every virtual filing must belong to exactly one stack (rule `stack-ownership`).
 * A filing names no platform: the stack that owns it decides where it runs.
 */
export interface Ownership {
  readonly campuses?: readonly string[];
  readonly departments?: readonly string[];
  readonly zones?: readonly Zone[];
}

export const OWNERSHIP_SELECTORS = ["campuses", "departments", "zones"] as const;

/** What a filing is matched on. */
export interface OwnedFiling {
  readonly department: string;
  readonly zone: Zone;
}

export function ownsFiling(owns: Ownership | undefined, filing: OwnedFiling, departments: ReadonlyMap<string, Department>): boolean {
  if (!owns) return true;
  if (owns.departments && !owns.departments.includes(filing.department)) return false;
  if (owns.zones && !owns.zones.includes(filing.zone)) return false;
  if (owns.campuses) {
    const campus = departments.get(filing.department)?.campus;
    if (campus === undefined || !owns.campuses.includes(campus)) return false;
  }
  return true;
}

/** "校区 main；部门 jwc、xgb" — what a stack owns, for messages and `filing stacks`. */
export function describeOwnership(owns: Ownership | undefined): Message {
  if (!owns) return msg("全部备案", "every filing");
  const zh = { campuses: "校区", departments: "部门", zones: "网络区域" };
  const en = { campuses: "campus", departments: "department", zones: "zone" };
  const parts = OWNERSHIP_SELECTORS.filter((k) => owns[k]);
  return msg(parts.map((k) => `${zh[k]} ${owns[k]!.join("、")}`).join("；"), parts.map((k) => `${en[k]} ${owns[k]!.join(", ")}`).join("; "));
}
