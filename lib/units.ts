import { msg, type Message } from "./messages";

/**
 * The units a filing's numbers are counted in, and how people type them after a number (8G, 4核,
 * 12个月, 180天). A number followed by its field's own unit means that number; followed by another
 * unit (4T for GiB, 2颗 for cores, 1年 for months) it means something else, which is never guessed.
 */
export interface Unit {
  readonly shown: Message;
  /** Spellings that mean this unit, lowercase. */
  readonly typed: readonly string[];
}

export const UNITS = {
  cpu: { shown: msg("核", "cores"), typed: ["核", "核心", "c", "core", "cores", "vcpu", "vcpus"] },
  gib: { shown: msg("GiB", "GiB"), typed: ["g", "gb", "gib", "gi"] },
  months: { shown: msg("个月", "months"), typed: ["月", "个月", "month", "months"] },
  days: { shown: msg("天", "days"), typed: ["天", "日", "day", "days"] },
} as const satisfies Readonly<Record<string, Unit>>;

/** The unit of a number field by its key: `memoryGiB` → GiB, `logRetentionDays` → days. */
export function unitOfKey(key: string): Unit | undefined {
  if (/GiB$/.test(key)) return UNITS.gib;
  if (/Days$/.test(key)) return UNITS.days;
  if (key === "months") return UNITS.months;
  if (key === "cpu") return UNITS.cpu;
  return undefined;
}

/**
 * A whole number as people type it (full-width digits, its own unit after it): the number, or
 * `otherUnit` when another unit follows it, or undefined when it is no number at all.
 */
export function typedWholeNumber(raw: string, unit: Unit | undefined): { value: number } | { otherUnit: string } | undefined {
  const typed = /^(\d+)\s*([^\d\s]*)$/.exec(raw.normalize("NFKC").trim());
  if (!typed) return undefined;
  const n = Number(typed[1]);
  if (!Number.isSafeInteger(n)) return undefined;
  if (typed[2] === "" || unit?.typed.includes(typed[2]!.toLowerCase())) return { value: n };
  return { otherUnit: typed[2]! };
}
