import { Command, Option } from "commander";
import { msg, text } from "../../lib/messages";
import { formatPlanJson, formatPlanText } from "../../lib/output/plan";
import { formatReport, problemLine } from "../../lib/output/problems";
import { planRegister } from "../../lib/plan/servers";
import type { StackConfig } from "../../lib/stack-files/config";
import type { CliIo } from "./io";
import { asLang, langOption, openRegister, rootOption, todayOption } from "./options";
import { openStack, readStackOwners } from "../../lib/stack-files/read";
import { ownsFiling } from "../../lib/stack-files/owns";

interface PlanOptions {
  root: string;
  stack?: string;
  format: "text" | "json";
  lang: string;
  today?: string;
}

export function planCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("plan")
    .description("show the register's servers and the VMs the Pulumi program will build / 显示备案登记的服务器及将要创建的虚拟机")
    .addOption(rootOption())
    .addOption(new Option("--stack <name>", "also check this stack's config (stacks/Pulumi.<name>.yaml) / 同时检查堆栈配置"))
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(langOption())
    .addOption(todayOption())
    .action((options: PlanOptions) => {
      const lang = asLang(options.lang);
      const register = openRegister(io, options);
      let stack: { name: string; config: StackConfig } | undefined;
      if (options.stack !== undefined) {
        const opened = openStack(register.root, options.stack);
        if ("problems" in opened) {
          io.stderr(opened.problems.map((p) => `${problemLine(p, lang)}\n`).join(""));
          setExit(2);
          return;
        }
        stack = { name: opened.name, config: opened.config };
      }
      const owners = readStackOwners(register.root);
      if (!owners.owners) {
        io.stderr(owners.problems.map((p) => `${problemLine(p, lang)}\n`).join(""));
        setExit(2);
        return;
      }
      const plan = planRegister({ filings: register.filings, config: register.config, today: register.today, stacks: owners.owners });
      if (!plan.servers) {
        io.stderr(formatReport({ ok: false, filings: plan.filingCount, problems: plan.problems }, "text", lang));
        io.stderr(`${text(msg("备案登记有错误，无法生成计划。", "The register has errors; no plan was made."), lang)}\n`);
        setExit(1);
        return;
      }
      // With --stack, the servers that stack provisions.
      const departments = new Map(plan.config!.departments.map((d) => [d.slug, d]));
      const servers = stack ? plan.servers.filter((s) => ownsFiling(stack!.config.owns, { department: s.department, zone: s.network.zone }, departments)) : plan.servers;
      io.stdout(options.format === "json" ? formatPlanJson(servers) : formatPlanText(servers, lang, stack));
      setExit(0);
    });
}
