import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command, Option } from "commander";
import { ConfigurationError, UsageError } from "../../lib/errors";
import { calendarDate } from "../../lib/filings/dates";
import { msg, text } from "../../lib/messages";
import { formHtml, type ApprovalRecord } from "../../lib/output/form-html";
import { namesOf } from "../../lib/names";
import { validateRegister } from "../../lib/validate";
import { checkHead } from "../../lib/github/check";
import { octokitPort, octokitRepository } from "../../lib/github/octokit";
import { repositoryWebUrl } from "./notify";
import type { CliIo } from "./io";
import { asLang, langOption, openRegister, requireOut, rootOption, todayOption } from "./options";
import { progress } from "./progress";
import { pullRequestFromEnv, repositoryFromEnv } from "./repo";

interface RenderOptions {
  root: string;
  format: "html" | "pdf";
  out?: string;
  repo?: string;
  pr?: string;
  lang: string;
  today?: string;
}

const CHROMIUM_CANDIDATES = ["chromium", "chromium-browser", "google-chrome"];

/** Debian's Chromium (or the one CHROMIUM_PATH names), if this machine has one. */
export function findChromium(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.CHROMIUM_PATH) return fs.existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    for (const name of CHROMIUM_CANDIDATES) {
      const candidate = path.join(dir, name);
      if (dir && fs.existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Prints the page with headless Chromium, without blocking the event loop (the spinner turns meanwhile). */
async function printToPdf(chromium: string, html: string, out: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "filing-render-"));
  try {
    const page = path.join(dir, "form.html");
    fs.writeFileSync(page, html);
    // The flags keep a headless Chromium from reaching out to the network at start (closed networks refuse it).
    const args = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", `--user-data-dir=${path.join(dir, "profile")}`,
      "--no-pdf-header-footer", `--print-to-pdf=${out}`, `file://${page}`,
    ];
    const r = await new Promise<{ status: number | null; stderr: string; error?: Error }>((resolve) => {
      const child = execFile(chromium, args, { encoding: "utf8", timeout: 120_000 }, (error, _stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stderr, error: error ?? undefined }));
      child.stdin?.end();
    });
    if (r.status !== 0 || !fs.existsSync(out)) {
      const why = (r.stderr || r.error?.message || "").trim().slice(0, 300);
      throw new ConfigurationError(msg(`Chromium 生成 PDF 失败：${why}`, `Chromium failed to print the PDF: ${why}`));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `filing render <id>`: the filled application form, as HTML or (through headless Chromium) PDF. */
export function renderCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("render")
    .description("the filled application form of one filing / 生成备案申请表")
    .argument("<id>", "filing id / 备案编号")
    .addOption(rootOption())
    .addOption(new Option("--format <format>", "output format").choices(["html", "pdf"]).default("html"))
    .addOption(new Option("--out <file>", "output file (required for PDF) / 输出文件（PDF 必填）"))
    .option("--repo <owner/name>", "with --pr: the repository whose PR approved the filing / 审批所在仓库")
    .option("--pr <number>", "show this pull request's approvals in the four opinion boxes / 附上该 PR 的审批记录")
    .addOption(langOption())
    .addOption(todayOption())
    .action(async (id: string, options: RenderOptions) => {
      const lang = asLang(options.lang);
      if (options.format === "pdf") requireOut("pdf", options.out, `${id}.pdf`);
      const opened = openRegister(io, options);
      const result = validateRegister({ filings: opened.filings, config: opened.config, today: opened.today });
      const loaded = result.filings.find((f) => f.filing.id === id);
      if (!loaded) {
        throw new UsageError(msg(`备案登记中没有编号为 ${id} 的有效备案。`, `The register has no valid filing with id ${id}.`));
      }
      const departmentName = result.config?.config.departments.find((d) => d.slug === loaded.filing.department)?.name ?? loaded.filing.department;
      let record: ApprovalRecord | undefined;
      if (options.pr !== undefined || options.repo !== undefined) {
        if (!options.pr || !options.repo) throw new UsageError(msg("--repo 和 --pr 需要一起使用。", "--repo and --pr go together."));
        const pr = pullRequestFromEnv(io, options.repo, options.pr, deps.retryBaseMs);
        const number = pr.number;
        const checked = await checkHead(
          await octokitRepository(repositoryFromEnv(io, options.repo, deps.retryBaseMs)),
          (n) => octokitPort(pullRequestFromEnv(io, options.repo!, String(n), deps.retryBaseMs)),
          { pr: number },
          { dryRun: true, today: calendarDate(io.now()) },
        );
        const decision = checked.pulls.find((p) => p.pr.number === number)!.evaluation.decisions.find((d) => d.subject.kind === "filing" && d.subject.change.id === id);
        if (!decision) throw new UsageError(msg(`${options.repo}#${number} 没有修改备案 ${id}。`, `${options.repo}#${number} does not change filing ${id}.`));
        record = { repo: options.repo, pr: number, roles: decision.roles, url: `${repositoryWebUrl(io, options.repo)}/pull/${number}`, printedAt: io.now().toISOString() };
      }
      const html = formHtml(loaded.filing, departmentName, record, result.config ? namesOf(result.config.config) : undefined, result.config ? { today: opened.today, deadlineDays: result.config.config.limits.physicalFilingDeadlineDays } : undefined);
      if (options.format === "html") {
        if (options.out) fs.writeFileSync(path.resolve(io.cwd, options.out), html);
        else io.stdout(html);
        setExit(0);
        return;
      }
      const chromium = findChromium(io.env);
      if (!chromium) {
        io.stderr(`${text(msg(
          "找不到 Chromium，无法生成 PDF。请安装 Debian 的 chromium 软件包（apt-get install chromium），或用 --format html 生成网页后在浏览器中打印。",
          "Chromium was not found, so no PDF can be printed. Install Debian's chromium package (apt-get install chromium), or use --format html and print the page from a browser.",
        ), lang)}\n`);
        setExit(2);
        return;
      }
      const out = path.resolve(io.cwd, options.out!);
      const shown = await progress(io, lang);
      shown.step(msg("正在用 Chromium 生成 PDF…", "Printing the PDF with Chromium…"));
      try {
        await printToPdf(chromium, html, out);
      } finally {
        shown.done();
      }
      io.stderr(`${text(msg(`已写入 ${out}。`, `Wrote ${out}.`), lang)}\n`);
      setExit(0);
    });
}
