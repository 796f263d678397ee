import { Command, Option } from "commander";
import { UsageError } from "../../lib/errors";
import { msg, text, type Message } from "../../lib/messages";
import { formatPolicyJson, formatPolicyText, policyPassed, type StackPolicyReport } from "../../lib/output/policy";
import { vmPlatform } from "../../lib/compliance/tokens";
import type { CliIo } from "./io";
import { asLang, langOption, openRegister, rootOption, todayOption } from "./options";
import { programInputs } from "./program-inputs";
import { progress } from "./progress";
import { availableStacks } from "../../lib/stack-files/read";
import { withoutStackTraces } from "../../lib/stack-traces";

interface PolicyOptions {
  root: string;
  stack?: string;
  format: "text" | "json";
  lang: string;
  today?: string;
}

/**
 * `filing policy`: the policy pack over what the program would register, without the Pulumi CLI or a
 * hypervisor. The program runs under Pulumi's mocks (vSphere lookups answered by a simulated vCenter),
 * and the pack runs in-process on every resource it registers.
 */
export function policyCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("policy")
    .description("run the policy pack over the program's desired state / 用策略包检查将要创建的虚拟机")
    .addOption(rootOption())
    .addOption(new Option("--stack <name>", "only this stack (default: every stacks/Pulumi.<name>.yaml) / 只检查该堆栈"))
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(langOption())
    .addOption(todayOption())
    .action(async (options: PolicyOptions) => {
      const lang = asLang(options.lang);
      const register = openRegister(io, options);
      const names = options.stack !== undefined ? [options.stack] : availableStacks(register.root);
      if (names.length === 0) {
        throw new UsageError(msg(`${register.root}/stacks 下没有堆栈配置（Pulumi.<名称>.yaml）。`, `No stack files (Pulumi.<name>.yaml) in ${register.root}/stacks.`));
      }
      const prepared = programInputs(io, lang, register, names);
      if ("exit" in prepared) {
        if (prepared.exit === 1) io.stderr(`${text(msg("备案登记有错误，程序不会创建任何资源，策略无从检查。", "The register has errors; the program creates nothing, so there is nothing to check."), lang)}\n`);
        setExit(prepared.exit);
        return;
      }
      const { input, stacks } = prepared;
      const shown = await progress(io, lang, { json: options.format === "json" });
      shown.step(msg("正在加载 Pulumi 和策略包…", "Loading Pulumi and the policy pack…"));
      // Pulumi's SDK and the pack take over a second to load: only this command pays for them.
      const [{ runPolicies }, { policies }, { simulateProgram, simulatedZoneNetworks }] = await Promise.all([
        import("../../policies/in-process.js"),
        import("../../policies/policies.js"),
        import("../../stacks/simulate.js"),
      ]);
      // Without stack traces (lib/stack-traces.ts): the program under mocks and the pack make one per promise.
      const reports: StackPolicyReport[] = await withoutStackTraces(async () => {
        const out: StackPolicyReport[] = [];
        for (const stack of stacks) {
          shown.step(msg(`正在运行程序并检查策略：堆栈 ${stack.name}…`, `Running the program and the policies: stack ${stack.name}…`));
          const notices: Message[] = [];
          const resources = await simulateProgram({ register: input, stack: stack.input, notify: (m) => notices.push(m) }, stack.name);
          const findings = await runPolicies(policies, resources, {
            root: register.root,
            today: register.today,
            zoneNetworks: simulatedZoneNetworks(stack.config),
          });
          out.push({ stack: stack.name, platform: stack.config.platform, vms: resources.filter((r) => vmPlatform(r.type)).length, findings, notices });
        }
        return out;
      });
      shown.done();
      io.stdout(options.format === "json" ? formatPolicyJson(reports) : formatPolicyText(reports, lang));
      setExit(policyPassed(reports) ? 0 : 1);
    });
}
