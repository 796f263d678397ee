import path from "node:path";
import { Option } from "commander";
import type { ConfigSources } from "../../lib/config/parse";
import { UsageError } from "../../lib/errors";
import { assertRegisterRoot, readFilingFiles } from "../../lib/filings/read";
import { readConfigFiles } from "../../lib/config/read";
import { calendarDate, isIsoDate, type IsoDate } from "../../lib/filings/dates";
import { LANGS, msg, type Lang } from "../../lib/messages";
import type { SourceFile } from "../../lib/yaml/strict";
import type { CliIo } from "./io";

export const langOption = (): Option =>
  new Option("--lang <lang>", "message language / 提示语言").choices([...LANGS]).default("zh");

export const rootOption = (): Option =>
  new Option("--root <dir>", "register root holding filings/ and policies/ / 备案仓库根目录").default(".");

export const todayOption = (): Option =>
  new Option("--today <date>", "judge dates as of this day (YYYY-MM-DD) / 以该日期判断到期").hideHelp();

/** A register root as a command sees it: where it is, the day to judge by, and its config. */
export interface RegisterRoot {
  readonly root: string;
  readonly today: IsoDate;
  readonly config: ConfigSources;
}

/** A register root with every filing file read. */
export interface OpenedRegister extends RegisterRoot {
  readonly filings: SourceFile[];
}

/** Resolves `--root` and `--today`, checks the folder is a register root, and reads its config. */
export function openRegisterRoot(io: CliIo, options: { root: string; today?: string }): RegisterRoot {
  const root = path.resolve(io.cwd, options.root);
  assertRegisterRoot(root);
  const today = resolveToday(io, options.today);
  return { root, today, config: readConfigFiles(root) };
}

/** Resolves `--root` and `--today`, checks the folder is a register root, and reads it. */
export function openRegister(io: CliIo, options: { root: string; today?: string }): OpenedRegister {
  const opened = openRegisterRoot(io, options);
  return { ...opened, filings: readFilingFiles(opened.root) };
}

function resolveToday(io: CliIo, today: string | undefined): IsoDate {
  if (today === undefined) return calendarDate(io.now());
  if (!isIsoDate(today)) {
    throw new UsageError(msg(`--today 的值 "${today}" 不是 YYYY-MM-DD 格式的日期。`, `--today "${today}" is not a YYYY-MM-DD date.`));
  }
  return today;
}

export function asLang(value: string): Lang {
  return value === "en" ? "en" : "zh";
}

/**
 * A binary format (XLSX, PDF) is written only to a file the user named: printed to a terminal it
 * is noise, and a file the user did not ask for is litter in their working folder.
 */
export function requireOut(format: string, out: string | undefined, example: string): string {
  if (out !== undefined) return out;
  throw new UsageError(msg(
    `${format.toUpperCase()} 是二进制文件，请用 --out 指定要写入的文件，例如 --out ${example}。`,
    `${format.toUpperCase()} is a binary format: name the file to write with --out, e.g. --out ${example}.`,
  ));
}
