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
  /** Other units people type here, lowercase, and how many of this unit one of them is: said, never applied. */
  readonly from?: Readonly<Record<string, number>>;
}

export const UNITS = {
  cpu: { shown: msg("核", "cores"), typed: ["核", "核心", "c", "core", "cores", "vcpu", "vcpus"] },
  gib: { shown: msg("GiB", "GiB"), typed: ["g", "gb", "gib", "gi"], from: { t: 1024, tb: 1024, tib: 1024, ti: 1024 } },
  months: { shown: msg("个月", "months"), typed: ["月", "个月", "month", "months"], from: { 年: 12, year: 12, years: 12 } },
  days: { shown: msg("天", "days"), typed: ["天", "日", "day", "days"], from: { 周: 7, 星期: 7, week: 7, weeks: 7 } },
} as const satisfies Readonly<Record<string, Unit>>;

/**
 * What to say of a number typed with another unit (4T where GiB are counted): the conversion when
 * the unit is one people mean here (1T = 1024 GiB, as the platforms count disks), else to convert it.
 */
export function otherUnitMessage(typed: { readonly number: number; readonly otherUnit: string }, own: Unit): Message {
  const factor = own.from?.[typed.otherUnit.toLowerCase()];
  const u = typed.otherUnit;
  return factor
    ? msg(
        `“${u}”不是这里的单位（这里以 ${own.shown.zh} 计）：按 1${u} = ${factor} ${own.shown.zh}，${typed.number}${u} 应填 ${typed.number * factor}。`,
        ` "${u}" is not the unit here (it counts in ${own.shown.en}): at 1${u} = ${factor} ${own.shown.en}, ${typed.number}${u} is ${typed.number * factor}.`,
      )
    : msg(`“${u}”不是这里的单位（这里以 ${own.shown.zh} 计）：请换算后只填数字。`, ` "${u}" is not the unit here (it counts in ${own.shown.en}): convert it and write the number alone.`);
}

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
export function typedWholeNumber(raw: string, unit: Unit | undefined): { value: number } | { number: number; otherUnit: string } | undefined {
  const typed = /^(\d+)\s*([^\d\s]*)$/.exec(raw.normalize("NFKC").trim());
  if (!typed) return undefined;
  const n = Number(typed[1]);
  if (!Number.isSafeInteger(n)) return undefined;
  if (typed[2] === "" || unit?.typed.includes(typed[2]!.toLowerCase())) return { value: n };
  return { number: n, otherUnit: typed[2]! };
}
