/**
 * What a run that goes wrong looks like, on the simulated vCenter with the real Pulumi CLI: a wrong
 * password, a vCenter that does not answer, and Ctrl+C in the middle of `filing up`, as a terminal
 * sends it (SIGINT to the whole process group). The CLI cancels gracefully only while the `filing`
 * process that serves its program lives on (scripts/cli/interrupt.ts).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfigFiles } from "../../lib/config/read";
import { calendarDate } from "../../lib/filings/dates";
import { readFilingFiles } from "../../lib/filings/read";
import { planRegister } from "../../lib/plan/servers";
import { SIMULATED_PORT_GROUPS, simulatorPackConfig, startSimulator, useSimulatorStack, type Simulator } from "../../scripts/simulator";
import { killLeftovers, started } from "../helpers/process";
import { REPO } from "../helpers/register";
import { ENGINE_TIMEOUT, filing, NO_SIMULATOR, removeTemps, tools, workspace, type Workspace } from "./engine-helpers";

afterAll(removeTemps);

/** Well under a minute: the lookups answer in a fraction of a second; a run's start-up takes a few seconds. */
const MISSING_NAME_LIMIT = 45_000;

describe.skipIf(NO_SIMULATOR !== "")(`runs that go wrong${NO_SIMULATOR ? ` — skipped: ${NO_SIMULATOR}` : ""}`, { timeout: ENGINE_TIMEOUT }, () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator(tools.vcsim!);
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
  });

  /** A register root on the simulator (or at `server`), with the pack told the simulator's port groups. */
  function onSimulator(server = sim.server, password = sim.password): { w: Workspace; args: string[] } {
    const w = workspace();
    w.env.VSPHERE_PASSWORD = password;
    useSimulatorStack(w.root, "campus-vsphere", server);
    const packConfig = path.join(w.root, "policy-config.json");
    fs.writeFileSync(packConfig, simulatorPackConfig(sim));
    return { w, args: ["--stack", "campus-vsphere", "--policy-pack-config", packConfig] };
  }

  it("a wrong password: vCenter's refusal in a line that says which settings to check, exit 2, nothing created", async () => {
    const { w, args } = onSimulator(sim.server, `${sim.password}-wrong`);
    const r = await filing(["preview", ...args], w);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("vCenter 拒绝了登录：用户名或密码不对。请核对 VSPHERE_USER 和 VSPHERE_PASSWORD");
    expect(sim.vms()).toEqual([]);
  });

  it("a vCenter that does not answer: which address, and what to check, exit 2", async () => {
    // A loopback port nobody listens on: connection refused at once.
    const { w, args } = onSimulator("127.0.0.1:1");
    const r = await filing(["preview", ...args], w);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("连不上 vCenter https://127.0.0.1:1。请核对 VSPHERE_SERVER");
  });

  it("a vCenter that goes away in the middle of filing up: which address, what to check, exit 2", async () => {
    // A simulator of its own, stopped once the first VM exists: the provider is connected, VMs are being cloned.
    const own = await startSimulator(tools.vcsim!);
    const w = workspace();
    w.env.VSPHERE_PASSWORD = own.password;
    useSimulatorStack(w.root, "campus-vsphere", own.server);
    const packConfig = path.join(w.root, "policy-config.json");
    fs.writeFileSync(packConfig, simulatorPackConfig(own));
    const up = started(process.execPath, [path.join(REPO, "scripts/filing.js"), "up", "--stack", "campus-vsphere", "--policy-pack-config", packConfig, "--root", w.root], { cwd: w.root, env: w.env });
    let stopped: Promise<void> | undefined;
    up.child.stderr!.on("data", (d: Buffer) => {
      if (!stopped && /VirtualMachine .* created \(/.test(d.toString())) stopped = own.stop();
    });
    const r = await up.done;
    await stopped;
    expect(stopped, r.stderr).toBeDefined();
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`连不上 vCenter https://${own.server}`);
    expect(r.stderr).not.toContain("pulumi exited with");
  });

  /**
   * `filing` on a stack of its own whose file names something the simulated vCenter lacks. Before the
   * program looked its site up first, such a run never ended (the VMs using the failed lookup, and
   * the stack's outputs, waited forever): a watchdog kills it, with the plugins it started, so that
   * the test fails instead of hanging.
   */
  async function withMissingName(command: "preview" | "up", from: string, to: string, extra: string[] = []) {
    const w = workspace();
    w.env.VSPHERE_PASSWORD = sim.password;
    const marker = `FILINGS_E2E_RUN=missing-${path.basename(w.root)}`;
    w.env.FILINGS_E2E_RUN = marker.slice(marker.indexOf("=") + 1);
    const stack = useSimulatorStack(w.root, "sim-missing", sim.server);
    const file = path.join(w.root, "stacks", `Pulumi.${stack}.yaml`);
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain(from);
    fs.writeFileSync(file, text.replace(from, to));
    const packConfig = path.join(w.root, "policy-config.json");
    fs.writeFileSync(packConfig, simulatorPackConfig(sim));
    const run = started(process.execPath, [path.join(REPO, "scripts/filing.js"), command, "--stack", stack, "--policy-pack-config", packConfig, "--root", w.root, ...extra], { cwd: w.root, env: w.env, detached: true });
    const began = Date.now();
    const watchdog = setTimeout(() => {
      process.kill(-run.child.pid!, "SIGKILL");
      killLeftovers(marker);
    }, MISSING_NAME_LIMIT);
    const r = await run.done.finally(() => clearTimeout(watchdog));
    return { ...r, w, seconds: (Date.now() - began) / 1000, lastLine: r.stderr.trim().split("\n").at(-1) };
  }

  it("a port group the stack file names that vCenter lacks: one line with the stack, the port group, its key and the fix, well within a minute, exit 2, nothing created", async () => {
    const r = await withMissingName("preview", `portGroup: ${SIMULATED_PORT_GROUPS.internal}`, "portGroup: campus-intrenal");
    expect(r.signal, `still running after ${MISSING_NAME_LIMIT / 1000} s:\n${r.stderr.slice(-2000)}`).toBeNull();
    expect(r.code, r.stderr).toBe(2);
    expect(r.seconds).toBeLessThan(30);
    expect(r.lastLine).toBe(
      '堆栈 sim-missing：vCenter 中没有端口组 "campus-intrenal"（stacks/Pulumi.sim-missing.yaml:13:18 server-filings:networks.internal.portGroup）。请在 vCenter 中创建该端口组，或在 stacks/Pulumi.sim-missing.yaml 中改正名称；若它已存在，请给部署账号（VSPHERE_USER）授予它的权限。未创建或修改任何资源。',
    );
    expect(r.stderr).not.toContain("Pulumi 没有完成这次运行");
    expect(sim.vms()).toEqual([]);
  });

  it("a template vCenter lacks stops filing up the same way, in English with --lang en, before any VM or attribute is created", async () => {
    const r = await withMissingName("up", "template: ubuntu-24.04-template", "template: ubuntu-24.04", ["--lang", "en"]);
    expect(r.signal, `still running after ${MISSING_NAME_LIMIT / 1000} s:\n${r.stderr.slice(-2000)}`).toBeNull();
    expect(r.code, r.stderr).toBe(2);
    expect(r.lastLine).toBe(
      'Stack sim-missing: vCenter has no template "ubuntu-24.04" (stacks/Pulumi.sim-missing.yaml:9:15 server-filings:site.template). Put that VM or template in vCenter, or correct the name in stacks/Pulumi.sim-missing.yaml; if it exists, give the deploying account (VSPHERE_USER) access to it. Nothing was created or changed.',
    );
    expect(sim.vms()).toEqual([]);
    // Nor the custom attributes, which the program registers before any VM: the state holds no resource of the platform.
    const state = spawnSync("pulumi", ["stack", "export", "--stack", "sim-missing"], { cwd: r.w.root, env: r.w.env, encoding: "utf8" });
    expect(state.status, state.stderr).toBe(0);
    const types = (JSON.parse(state.stdout).deployment.resources ?? []).map((x: { type: string }) => x.type);
    expect(types.filter((t: string) => t.startsWith("vsphere:"))).toEqual([]);
    // The daily drift check on that stack says the same, once, and that it is not drift.
    const drift = await filing(["drift", "--repo", "campus/filings", "--stack", "sim-missing", "--dry-run"], r.w);
    expect(drift.code, drift.stderr).toBe(2);
    expect(drift.stderr.trim().split("\n").at(-1)).toBe(
      '漂移检查没有完成（不是漂移）：堆栈 sim-missing：vCenter 中没有模板虚拟机 "ubuntu-24.04"（stacks/Pulumi.sim-missing.yaml:9:15 server-filings:site.template）。请把该虚拟机或模板放入 vCenter，或在 stacks/Pulumi.sim-missing.yaml 中改正名称；若它已存在，请给部署账号（VSPHERE_USER）授予它的权限。未创建或修改任何资源。',
    );
  });

  it("Ctrl+C lets Pulumi cancel: exit 130 with what to do next, no pending operations, no lock, and the next up creates the rest", async () => {
    const { w, args: stackArgs } = onSimulator();
    const args = [...stackArgs, "--root", w.root];

    // A process group of its own, as a terminal gives a command, so that the signal reaches the group.
    const up = started(process.execPath, [path.join(REPO, "scripts/filing.js"), "up", ...args], { cwd: w.root, env: w.env, detached: true });
    let sent = false;
    up.child.stderr!.on("data", (d: Buffer) => {
      if (!sent && / creating \(/.test(d.toString())) {
        sent = true;
        process.kill(-up.child.pid!, "SIGINT");
      }
    });
    const r = await up.done;
    expect(sent, r.stderr).toBe(true);
    expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 130, signal: null });
    expect(r.stderr).toContain("收到中断信号：Pulumi 正在取消。");
    expect(r.stderr).toContain("已取消（SIGINT）。再次运行同一命令会从已保存的状态继续。");
    // The cancelling is the reason: no line sends the user to look for another one above.
    expect(r.stderr).not.toContain("Pulumi 没有完成这次运行");

    const state = spawnSync("pulumi", ["stack", "export", "--stack", "campus-vsphere"], { cwd: w.root, env: w.env, encoding: "utf8" });
    expect(state.status, state.stderr).toBe(0);
    expect(JSON.parse(state.stdout).deployment.pending_operations ?? []).toEqual([]);

    // Not locked, and what was created is in the state: the next up creates the rest. A SIGINT sent to
    // `filing` alone this time never reaches the CLI, which finishes; the run says the interrupt did nothing.
    const next = started(process.execPath, [path.join(REPO, "scripts/filing.js"), "up", ...args], { cwd: w.root, env: w.env });
    let toFiling = false;
    next.child.stderr!.on("data", (d: Buffer) => {
      if (!toFiling && / creating \(/.test(d.toString())) {
        toFiling = true;
        next.child.kill("SIGINT");
      }
    });
    const again = await next.done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("中断没有生效：运行已经完成。");
    const expected = planRegister({ filings: readFilingFiles(w.root), config: readConfigFiles(w.root), today: calendarDate(new Date()) }).servers!.filter((s) => s.vm && s.state !== "decommissioned");
    expect(sim.vms().map((v) => v.name).sort()).toEqual(expected.map((s) => s.id).sort());
  });
});
