import { Command, Option } from "commander";
import { ConfigurationError } from "../../lib/errors";
import { msg, text } from "../../lib/messages";
import { PLATFORM_NAMES } from "../../lib/names";
import { problemLine } from "../../lib/output/problems";
import { describeOwnership } from "../../lib/stack-files/owns";
import { availableStacks, openStack } from "../../lib/stack-files/read";
import type { CliIo } from "./io";
import { asLang, langOption, rootOption } from "./options";
import path from "node:path";

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
        // Columns padded to the widest name and platform (both ASCII), so that the owners line up.
        const rows = stacks.map((s) => [s.name, text(PLATFORM_NAMES[s.platform], lang), text(describeOwnership(s.owns ?? undefined), lang)] as const);
        const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
        for (const [name, platform, owns] of rows) io.stdout(`${name.padEnd(widths[0]!)}  ${platform.padEnd(widths[1]!)}  ${owns}\n`);
      }
      setExit(0);
    });
}
