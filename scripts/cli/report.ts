import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { msg, text } from "../../lib/messages";
import { registerHtml } from "../../lib/output/register-html";
import { formatReport } from "../../lib/output/problems";
import { planRegister } from "../../lib/plan/servers";
import { departmentTotals, registerRows, registerTitle, totalRows } from "../../lib/reports/register";
import { namesOf, NO_NAMES } from "../../lib/names";
import { monthlyMarkdown } from "../../lib/reports/monthly";
import { monthlyFromHistory, reportMonth } from "../../lib/reports/from-history";
import { approvingPulls } from "../../lib/git/history";
import { monthlyXlsx, registerCsv, registerXlsx } from "../../lib/output/spreadsheet";
import type { CliIo } from "./io";
import { asLang, langOption, openRegister, requireOut, rootOption, todayOption } from "./options";

interface MonthlyOptions {
  root: string;
  month?: string;
  format: "md" | "xlsx";
  out?: string;
  lang: string;
  today?: string;
}

interface RegisterOptions {
  root: string;
  format: "csv" | "xlsx" | "html";
  out?: string;
  lang: string;
  today?: string;
}

/** `filing report register`: the register (台账) as CSV, XLSX or a sortable, printable HTML page. */
export function reportCommand(io: CliIo, setExit: (code: number) => void): Command {
  const register = new Command("register")
    .description("the register (台账) as CSV, XLSX or HTML / 导出备案台账")
    .addOption(rootOption())
    .addOption(new Option("--format <format>", "output format").choices(["csv", "xlsx", "html"]).default("html"))
    .addOption(new Option("--out <file>", "write to this file (required for XLSX) / 输出文件（XLSX 必填）"))
    .addOption(langOption())
    .addOption(todayOption())
    .action(async (options: RegisterOptions) => {
      const lang = asLang(options.lang);
      if (options.format === "xlsx") requireOut("xlsx", options.out, "register.xlsx");
      const opened = openRegister(io, options);
      const plan = planRegister({ filings: opened.filings, config: opened.config, today: opened.today });
      if (!plan.servers) {
        io.stderr(formatReport({ ok: false, filings: plan.filingCount, problems: plan.problems }, "text", lang));
        io.stderr(`${text(msg("备案登记有错误，无法导出台账。", "The register has errors; no register was exported."), lang)}\n`);
        setExit(1);
        return;
      }
      const rows = registerRows(plan.servers, lang, approvingPulls(opened.root));
      const totals = plan.config ? totalRows(departmentTotals(plan.servers, plan.config), lang) : [];
      const title = registerTitle(plan.config ? namesOf(plan.config) : NO_NAMES, lang);
      const bytes =
        options.format === "xlsx"
          ? await registerXlsx(rows, totals, lang, opened.today, title)
          : options.format === "csv"
            ? await registerCsv(rows, lang)
            : Buffer.from(registerHtml(rows, { lang, today: opened.today, totals, title }), "utf8");
      const out = options.out;
      if (out === undefined) {
        io.stdout(bytes.toString("utf8"));
      } else {
        const file = path.resolve(io.cwd, out);
        fs.writeFileSync(file, bytes);
        io.stderr(`${text(msg(`已写入 ${file}（${rows.length} 份备案）。`, `Wrote ${file} (${rows.length} filings).`), lang)}\n`);
      }
      setExit(0);
    });
  const monthly = new Command("monthly")
    .description("filings added, changed, renewed, decommissioned or removed in a month, from git history / 备案变更月报")
    .addOption(rootOption())
    .addOption(new Option("--month <YYYY-MM>", "the month (default: the previous month) / 月份"))
    .addOption(new Option("--format <format>", "output format").choices(["md", "xlsx"]).default("md"))
    .addOption(new Option("--out <file>", "write to this file (required for XLSX) / 输出文件（XLSX 必填）"))
    .addOption(langOption())
    .addOption(todayOption())
    .action(async (options: MonthlyOptions) => {
      if (options.format === "xlsx") requireOut("xlsx", options.out, "changes.xlsx");
      const opened = openRegister(io, options);
      const month = reportMonth(options.month, opened.today);
      const { rows, period } = monthlyFromHistory(opened.root, month, opened.today);
      const config = planRegister({ filings: opened.filings, config: opened.config, today: opened.today }).config;
      const names = config ? namesOf(config) : NO_NAMES;
      const lang = asLang(options.lang);
      const bytes = options.format === "xlsx" ? await monthlyXlsx(month, period, rows, names, lang) : Buffer.from(monthlyMarkdown(month, period, rows, names, lang), "utf8");
      const out = options.out;
      if (out === undefined) io.stdout(bytes.toString("utf8"));
      else {
        const file = path.resolve(io.cwd, out);
        fs.writeFileSync(file, bytes);
        io.stderr(`${text(msg(`已写入 ${file}（${rows.length} 项变更）。`, `Wrote ${file} (${rows.length} changes).`), asLang(options.lang))}\n`);
      }
      setExit(0);
    });
  return new Command("report").description("reports / 报表").addCommand(register).addCommand(monthly);
}
