/**
 * `npm run demo`: the whole path on the embedded default. Builds or reuses the toolchain (the Pulumi
 * CLI and our simulated vCenter, from the Go module proxy), starts the simulator on loopback, runs
 * `filing up` of the sample register with the policy pack on a file backend under
 * ~/.cache/server-filings/demo, and prints what the simulator then holds, read back through the
 * vSphere API. Without a vSphere provider plugin it runs every stage it can (the pack under the real
 * CLI on the physical servers) and ends with one line on what is missing and how to get it.
 * Exit 0 when every stage it could run passed, 1 when one failed, 2 when the toolchain cannot be had.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command, Option } from "commander";
import { readFilingFiles } from "../lib/filings/read";
import { readConfigFiles } from "../lib/config/read";
import { calendarDate } from "../lib/filings/dates";
import { text, msg, type Lang } from "../lib/messages";
import { formatReadBack } from "../lib/output/readback";
import { planRegister } from "../lib/plan/servers";
import {
  hasVspherePlugin,
  MISSING_PLUGIN,
  pulumiHome,
  registerRoot,
  REPO,
  SIMULATED_PORT_GROUPS,
  SIMULATED_QUARANTINE,
  simulatorPackConfig,
  useSimulatorStack,
  startSimulator,
  toolchain,
} from "./simulator";
import { SERVER_TYPE_NAMES } from "../lib/names";

const STACK = "campus-vsphere";

async function main(lang: Lang): Promise<number> {
  const say = (zh: string, en: string) => process.stderr.write(`demo: ${text(msg(zh, en), lang)}\n`);

  say("1/4 工具链：Pulumi CLI 与模拟 vCenter（首次从 Go 模块代理构建，约 10 分钟；之后直接复用）", "1/4 toolchain: the Pulumi CLI and the simulated vCenter (built from the Go module proxy the first time, about 10 minutes; reused afterwards)");
  const tools = toolchain({ build: true, stderr: "inherit" });
  if (!tools.pulumiBin || !tools.vcsim) {
    say("无法构建工具链，见上方 toolchain 的输出。", "The toolchain could not be built; see toolchain's lines above.");
    return 2;
  }

  const home = path.join(os.homedir(), ".cache/server-filings/demo");
  // Each run starts an empty simulator, so the state starts empty too.
  fs.rmSync(home, { recursive: true, force: true });
  const root = registerRoot(path.join(home, "register"));
  fs.mkdirSync(path.join(home, "state"), { recursive: true });
  const plugin = hasVspherePlugin(tools.pulumiBin);

  say("2/4 启动模拟 vCenter（仅监听 127.0.0.1）", "2/4 starting the simulated vCenter (127.0.0.1 only)");
  const sim = await startSimulator(tools.vcsim);
  try {
    say(`    ${sim.server}：数据中心 campus-dc，集群 cluster-01，模板 ubuntu-24.04-template`, `    ${sim.server}: datacenter campus-dc, cluster cluster-01, template ubuntu-24.04-template`);
    useSimulatorStack(root, STACK, sim.server);
    const packConfig = path.join(home, "policy-config.json");
    fs.writeFileSync(packConfig, simulatorPackConfig(sim));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${tools.pulumiBin}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: pulumiHome(),
      PULUMI_BACKEND_URL: `file://${path.join(home, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "demo",
      VSPHERE_PASSWORD: sim.password,
    };
    const filing = (args: string[], at = root) =>
      new Promise<number>((resolve) => {
        // Progress per resource goes straight to the terminal; the summary line too.
        const child = spawn(process.execPath, [path.join(REPO, "scripts/filing.js"), ...args, "--root", at, "--lang", lang], { env, stdio: ["ignore", "inherit", "inherit"] });
        child.on("close", (code) => resolve(code ?? 1));
      });

    if (!plugin) {
      say(`3/4 没有 vSphere 插件：只用${SERVER_TYPE_NAMES.physical.zh}在真实 Pulumi CLI 下运行程序和策略包`, `3/4 no vSphere plugin: the program and the pack under the real Pulumi CLI, ${SERVER_TYPE_NAMES.physical.en}s only`);
      const physical = registerRoot(path.join(home, "physical"), { keep: (_f, t) => /^type: physical$/m.test(t) });
      const code = await filing(["preview", "--stack", "campus-proxmox"], physical);
      say("4/4 模拟 vCenter 中的虚拟机：无（未部署）", "4/4 VMs in the simulated vCenter: none (nothing deployed)");
      process.stderr.write(`${text(msg(MISSING_PLUGIN.zh, MISSING_PLUGIN.en), lang)}\n`);
      return code === 0 ? 0 : 1;
    }

    say("3/4 filing up：按样例备案创建虚拟机（策略包开启）", "3/4 filing up: the sample register's VMs, with the policy pack");
    const code = await filing(["up", "--stack", STACK, "--policy-pack-config", packConfig]);
    if (code !== 0) return code;

    say("4/4 从模拟 vCenter 读回的虚拟机（不取自 Pulumi 的输出）", "4/4 VMs read back from the simulated vCenter (not from Pulumi's outputs)");
    const plan = planRegister({ filings: readFilingFiles(root), config: readConfigFiles(root), today: calendarDate(new Date()) });
    const zoneOf = Object.fromEntries([...Object.entries(SIMULATED_PORT_GROUPS).map(([zone, group]) => [group, zone]), ...Object.values(SIMULATED_QUARANTINE).map((group) => [group, "quarantine"])]);
    process.stdout.write(formatReadBack(sim.vms(), plan.servers ?? [], zoneOf, lang));
    return 0;
  } finally {
    await sim.stop();
  }
}

const program = new Command("demo")
  .description("the sample register on the simulated vCenter / 在模拟 vCenter 上部署样例备案")
  .addOption(new Option("--lang <lang>", "zh or en").choices(["zh", "en"]).default("zh"))
  .action(async (options: { lang: Lang }) => {
    process.exitCode = await main(options.lang);
  });
program.parseAsync().catch((e: unknown) => {
  process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
});
