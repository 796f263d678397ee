import { addMonths } from "date-fns/addMonths";
import { format } from "date-fns/format";
import { parseISO } from "date-fns/parseISO";
import { subDays } from "date-fns/subDays";
import { subMonths } from "date-fns/subMonths";
import { UsageError } from "../errors";
import type { IsoDate } from "../filings/dates";
import { commitBefore, lastMerges, registerAt } from "../git/history";
import { msg } from "../messages";
import { monthlyChanges, type MonthlyRow } from "./monthly";

/**
 * The monthly change report read out of a checkout's git history: the one reading `filing report
 * monthly` and the desk's download share. The register at the month's first and last instant
 * (midnight China Standard Time, as the register's dates are) and the merges between them.
 */

export interface ReportPeriod {
  /** The month's first and last day, and the day the report is made. */
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly today: IsoDate;
}

/** The month asked for (YYYY-MM), or the one before `today`'s when none is. */
export function reportMonth(asked: string | undefined, today: IsoDate): string {
  const month = asked ?? format(subMonths(parseISO(`${today.slice(0, 7)}-01`), 1), "yyyy-MM");
  if (!/^20\d{2}-(0[1-9]|1[0-2])$/.test(month)) {
    throw new UsageError(msg(`月份应写成 YYYY-MM（例如 2026-11，2000 至 2099 年），收到 "${month}"。`, `The month must be YYYY-MM (e.g. 2026-11, 2000 to 2099), got "${month}".`));
  }
  return month;
}

/** The `count` months before `today`'s, the latest first (the reports one is likely to want). */
export function recentMonths(today: IsoDate, count: number): string[] {
  const first = parseISO(`${today.slice(0, 7)}-01`);
  return Array.from({ length: count }, (_, i) => format(subMonths(first, i + 1), "yyyy-MM"));
}

/** The month's changes, from the git history of the checkout at `root`. */
export function monthlyFromHistory(root: string, month: string, today: IsoDate): { rows: MonthlyRow[]; period: ReportPeriod } {
  const first = parseISO(`${month}-01`);
  const from = `${format(first, "yyyy-MM-dd")}T00:00:00+08:00`;
  const to = `${format(addMonths(first, 1), "yyyy-MM-dd")}T00:00:00+08:00`;
  const [startCommit, endCommit] = [commitBefore(root, from), commitBefore(root, to)];
  const merges = endCommit ? lastMerges(root, { from: startCommit, to: endCommit }) : new Map<string, { readonly pull?: number; readonly at: string }>();
  const rows = monthlyChanges(registerAt(root, startCommit), registerAt(root, endCommit), merges);
  return { rows, period: { from: format(first, "yyyy-MM-dd") as IsoDate, to: format(subDays(addMonths(first, 1), 1), "yyyy-MM-dd") as IsoDate, today } };
}
