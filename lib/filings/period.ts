import { addDays } from "date-fns/addDays";
import { addMonths } from "date-fns/addMonths";
import { differenceInCalendarDays } from "date-fns/differenceInCalendarDays";
import { format } from "date-fns/format";
import { isValid } from "date-fns/isValid";
import { parseISO } from "date-fns/parseISO";

/** Calendar dates are `YYYY-MM-DD` strings throughout; these helpers keep that at the edges. */
export type IsoDate = string;

function day(iso: IsoDate): Date {
  return parseISO(iso);
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && isValid(day(value)) && format(day(value), "yyyy-MM-dd") === value;
}

/** Last day a filing covers: a period of 12 months from 2026-12-01 ends on 2027-11-30. */
export function periodEnd(start: IsoDate, months: number): IsoDate {
  return format(addDays(addMonths(day(start), months), -1), "yyyy-MM-dd");
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return differenceInCalendarDays(day(to), day(from));
}

export function plusDays(date: IsoDate, days: number): IsoDate {
  return format(addDays(day(date), days), "yyyy-MM-dd");
}

/** The calendar date at `now` in the school's time zone: "today" for every rule. */
export function calendarDate(now: Date, timeZone = "Asia/Shanghai"): IsoDate {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
