import { Command, Option } from "commander";
import { ConfigurationError } from "../../lib/errors";
import { msg, text } from "../../lib/messages";
import { FILING_CLI, PLATFORM_NAMES, ZONE_NAMES } from "../../lib/names";
import { problemLine } from "../../lib/output/problems";
import { describeOwnership } from "../../lib/stack-files/owns";
import { availableStacks, openStack } from "../../lib/stack-files/read";
import type { CliIo } from "./io";
import { asLang, langOption, openRegister, rootOption } from "./options";
import path from "node:path";
import Table from "cli-table3";
import type { Zone } from "../../lib/filings/model";
import type { Lang } from "../../lib/messages";
import { planRegister } from "../../lib/plan/servers";
import type { Platform } from "../../lib/stack-files/config";
import { ownsFiling, type Ownership } from "../../lib/stack-files/owns";

interface StacksOptions {
  root: string;
  format: "text" | "json";
  lang: string;
}

/**
 * `filing stacks`: the register's stacks (stacks/Pulumi.<name>.yaml) with platform and what each
 * owns. `--format json` is what the deploy workflow's matrix is built from, so a stack file is
 * deployed by being there. A broken stack file, or none at all, is exit 2: a deploy must never
 * quietly leave a stack out.
 */
export function stacksCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("stacks")
    .description("list the stacks and the filings each owns / 列出堆栈及其认领的备案")
    .addOption(rootOption())
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(langOption())
    .action((options: StacksOptions) => {
      const lang = asLang(options.lang);
      const root = path.resolve(io.cwd, options.root);
      const names = availableStacks(root);
      if (names.length === 0) {
        throw new ConfigurationError(msg(`${root} 的 stacks/ 中没有堆栈配置文件（Pulumi.<名称>.yaml）。`, `There is no stack file (Pulumi.<name>.yaml) in ${root}/stacks.`));
      }
      const opened = names.map((name) => openStack(root, name));
      const broken = opened.flatMap((s) => ("problems" in s ? s.problems : []));
      if (broken.length > 0) {
        io.stderr(broken.map((p) => `${problemLine(p, lang)}\n`).join(""));
        setExit(2);
        return;
      }
      const stacks = opened.map((s) => {
        if (!("config" in s)) throw new Error("unreachable: broken stacks were reported");
        return { name: s.name, file: s.input.file, platform: s.config.platform, owns: s.config.owns ?? null };
      });
      if (options.format === "json") {
        io.stdout(`${JSON.stringify(stacks)}\n`);
      } else {
        io.stdout(stacksTable(stacks, ownedCounts(io, options, stacks, lang), lang));
      }
      setExit(0);
    });
}

const HEAD = {
  zh: ["堆栈", "平台", "认领范围", "部门", "虚拟机"],
  en: ["stack", "platform", "owns", "departments", "VMs"],
};

interface Listed {
  readonly name: string;
  readonly platform: Platform;
  readonly owns: Ownership | null;
}

/**
 * What each stack provisions today: the departments it can own and the VMs it does. Read from the
 * register as `plan` reads it; a register that does not plan (errors) leaves the columns empty,
 * since the list of stacks itself does not depend on it.
 */
function ownedCounts(io: CliIo, options: StacksOptions, stacks: readonly Listed[], lang: Lang): Map<string, { departments: string[]; vms: number }> | undefined {
  try {
    const register = openRegister(io, { root: options.root });
    const plan = planRegister({ filings: register.filings, config: register.config, today: register.today });
    if (!plan.servers || !plan.config) return undefined;
    const departments = new Map(plan.config.departments.map((d) => [d.slug, d]));
    return new Map(stacks.map((st) => {
      const owns = st.owns ?? undefined;
      const covered = plan.config!.departments.filter((d) => (Object.keys(ZONE_NAMES) as Zone[]).some((zone) => ownsFiling(owns, { department: d.slug, zone }, departments)));
      const vms = plan.servers!.filter((v) => v.vm && ownsFiling(owns, { department: v.department, zone: v.network.zone }, departments)).length;
      return [st.name, { departments: covered.map((d) => (lang === "zh" ? d.name : d.slug)), vms }];
    }));
  } catch {
    return undefined;
  }
}

function stacksTable(stacks: readonly Listed[], counts: ReturnType<typeof ownedCounts>, lang: Lang): string {
  const table = new Table({ head: HEAD[lang], style: { head: [], border: [], compact: true } });
  for (const st of stacks) {
    const c = counts?.get(st.name);
    table.push([st.name, text(PLATFORM_NAMES[st.platform], lang), text(describeOwnership(st.owns ?? undefined), lang), c ? c.departments.join(lang === "zh" ? "、" : ", ") || "-" : "?", c ? c.vms : "?"]);
  }
  const note = counts ? "" : `${text(msg(`（备案登记有错误，未统计各堆栈的部门和虚拟机：运行 ${FILING_CLI} validate 查看。）`, `(The register has errors; departments and VMs per stack are not counted: run ${FILING_CLI} validate.)`), lang)}\n`;
  return `${table.toString()}\n${note}`;
}
