import type { Filing } from "./model";
import { daysBetween, periodEnd, type IsoDate } from "./dates";

/** Where a filing stands on `today`: the rule that warns and the planner that powers off share this. */
export interface Expiry {
  /** Last day the filing covers. */
  readonly end: IsoDate;
  /** Days from today to the end (negative once it has passed). */
  readonly daysLeft: number;
  /** Days past the end, 0 while the period runs. */
  readonly overdue: number;
  /** Past the end and past the grace period too: the VM is taken out of service (powered off, or off the network on vSphere). */
  readonly pastGrace: boolean;
}

export function expiry(period: Filing["period"], today: IsoDate, graceDays: number): Expiry {
  const end = periodEnd(period.start, period.months);
  const daysLeft = daysBetween(today, end);
  const overdue = Math.max(0, -daysLeft);
  return { end, daysLeft, overdue, pastGrace: overdue > graceDays };
}
