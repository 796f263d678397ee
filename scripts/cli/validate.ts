import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { UsageError } from "../../lib/errors";
import { msg, text } from "../../lib/messages";
import { FILING_CLI } from "../../lib/names";
import { formatReport, PROBLEM_FORMATS, type ProblemFormat } from "../../lib/output/problems";
import { hasErrors } from "../../lib/problems";
import { selectFiles, selectProblems, type Selection } from "../../lib/selection";
import { committedChange, startChangesSince, uncommittedChange, type RegisterChange } from "../../lib/git/changes";
import { readWorkTree, type WorkTree } from "../../lib/git/status";
import { filingPaths } from "../../lib/filings/read";
import type { CliIo } from "./io";
import { asLang, langOption, openRegisterRoot, rootOption, todayOption } from "./options";
import { cacheFileFor, openValidationCache } from "./validate-cache";
import { checkRegister } from "./validate-run";

interface ValidateOptions {
  root: string;
  changedSince?: string;
  format: ProblemFormat;
  lang: string;
  today?: string;
  cache: boolean;
  cacheFile?: string;
  jobs?: number;
}

/** Turns path arguments into a selection relative to the root; every path must exist inside it. */
function toSelection(io: CliIo, root: string, paths: string[]): Selection {
  if (paths.length === 0) return undefined;
  const selection = paths.map((p) => {
    const abs = path.resolve(io.cwd, p);
    const rel = path.relative(root, abs);
    if (rel.startsWith("..") || path.isAbsolute(rel)) {
      throw new UsageError(msg(`路径 ${p} 不在备案仓库根目录 ${root} 内。`, `Path ${p} is outside the register root ${root}.`));
    }
    if (!fs.existsSync(abs)) {
      throw new UsageError(msg(`路径 ${p} 不存在。`, `Path ${p} does not exist.`));
    }
    const posix = rel.split(path.sep).join("/");
    return fs.statSync(abs).isDirectory() ? (posix === "" ? "" : `${posix}/`) : posix;
  });
  // Naming the root itself selects everything.
  return selection.includes("") ? undefined : selection;
}

/**
 * The change a plain run reports on: the files named on the command line, or else the filings not
 * yet committed (a department checking its new file), or else those committed on top of the
 * upstream branch. New files are those the base does not hold. A rule that tells one of two
 * filings to move (an IP filed twice) then tells the one being filed, not the approved one.
 */
function changeOf(root: string, tree: WorkTree | undefined, selection: Selection, files: readonly { path: string }[]): RegisterChange | undefined {
  const mine = uncommittedChange(tree) ?? committedChange(root, tree);
  if (!selection) return mine;
  const named = new Set(selectFiles(files, selection).map((f) => f.path));
  return { changed: named, added: new Set([...(mine?.added ?? [])].filter((f) => named.has(f))) };
}

function jobsArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(msg(`--jobs 的值 "${value}" 应为 1 到 64 之间的整数。`, `--jobs "${value}" must be a whole number from 1 to 64.`));
  return n;
}

export function validateCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("validate")
    .description("check filings against the schema and the institution rules / 检查备案文件")
    .argument("[paths...]", "files or folders to report on (default: the whole register)")
    .addOption(rootOption())
    .addOption(new Option("--changed-since <ref>", "report on the filings changed since this commit or branch (a pull request's base) / 只报告自该提交以来变更的备案"))
    .addOption(new Option("--format <format>", "output format").choices([...PROBLEM_FORMATS]).default("text"))
    .addOption(langOption())
    .addOption(todayOption())
    .addOption(new Option("--no-cache", "check every file afresh, without reading or writing the cache / 不使用缓存"))
    .addOption(new Option("--cache-file <file>", `the cache of per-file results (default: <root>/.cache/filing/validate.json)`))
    .addOption(new Option("--jobs <n>", "worker threads that parse files (default: one per core, at most 4, from 1,000 files to parse) / 并行解析的线程数").argParser(jobsArg))
    .action(async (paths: string[], options: ValidateOptions) => {
      if (options.changedSince !== undefined && paths.length > 0) {
        throw new UsageError(msg("--changed-since 与路径参数不能同时使用。", "--changed-since and path arguments cannot be used together."));
      }
      const register = openRegisterRoot(io, options);
      // git runs while the folder is listed and the cache read.
      const reading = readWorkTree(register.root, "filings/");
      const diffing = options.changedSince === undefined ? undefined : startChangesSince(register.root, options.changedSince);
      // Handled when awaited below; a usage error must not surface as an unhandled rejection first.
      diffing?.catch(() => {});
      const files = filingPaths(register.root).map((p) => ({ path: p }));
      const cacheFile = cacheFileFor(register.root, options.cache && (options.cacheFile ?? true), io.cwd);
      const cache = cacheFile ? openValidationCache(cacheFile, register.config) : undefined;
      const tree = await reading;
      const since = diffing ? (await diffing)(tree) : undefined;
      const selection = since ? [...since.changed] : toSelection(io, register.root, paths);
      const change = since ?? changeOf(register.root, tree, selection, files);
      const all = await checkRegister(io, register, files.map((f) => f.path), tree, change, {
        cache,
        cacheFile,
        jobs: options.jobs,
        lang: asLang(options.lang),
        json: options.format !== "text",
      });
      const selected = selectProblems(all, selection);
      // A department checking its own change reads its own warnings: another filing's (a port another
      // department opened, a period ending elsewhere) is not its to act on, and is only counted.
      const elsewhere = !selection && change ? selected.filter((p) => p.severity === "warning" && p.file.startsWith("filings/") && !change.changed.has(p.file)) : [];
      const problems = selected.filter((p) => !elsewhere.includes(p));
      const report = {
        ok: !hasErrors(problems),
        filings: selectFiles(files, selection).length,
        problems,
      };
      io.stdout(formatReport(report, options.format, asLang(options.lang)));
      if (elsewhere.length > 0 && options.format === "text") {
        io.stdout(`${text(msg(`（另有 ${elsewhere.length} 个警告属于本次未修改的其他备案，未列出；运行 ${FILING_CLI} validate filings/ 可查看全部。）`, `(${elsewhere.length} more warning${elsewhere.length > 1 ? "s" : ""} on filings this change does not touch, not listed; run ${FILING_CLI} validate filings/ to see all.)`), asLang(options.lang))}\n`);
      }
      setExit(report.ok ? 0 : 1);
    });
}
