import path from "node:path";
import { Option } from "commander";
import { UsageError } from "../../lib/errors";
import { calendarDate, isIsoDate, type IsoDate } from "../../lib/filings/period";
import { LANGS, msg, type Lang } from "../../lib/messages";
import type { CliIo } from "./io";

export const langOption = (): Option =>
  new Option("--lang <lang>", "message language / 提示语言").choices([...LANGS]).default("zh");

export const rootOption = (): Option =>
  new Option("--root <dir>", "register root holding filings/ and policies/ / 备案仓库根目录").default(".");

export const todayOption = (): Option =>
  new Option("--today <date>", "judge dates as of this day (YYYY-MM-DD) / 以该日期判断到期").hideHelp();

export function resolveRoot(io: CliIo, root: string): string {
  return path.resolve(io.cwd, root);
}

export function resolveToday(io: CliIo, today: string | undefined): IsoDate {
  if (today === undefined) return calendarDate(io.now());
  if (!isIsoDate(today)) {
    throw new UsageError(msg(`--today 的值 "${today}" 不是 YYYY-MM-DD 格式的日期。`, `--today "${today}" is not a YYYY-MM-DD date.`));
  }
  return today;
}

export function asLang(value: string): Lang {
  return value === "en" ? "en" : "zh";
}
