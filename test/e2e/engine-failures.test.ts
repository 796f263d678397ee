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
import { simulatorPackConfig, startSimulator, useSimulatorStack, type Simulator } from "../../scripts/simulator";
import { started } from "../helpers/process";
import { REPO } from "../helpers/register";
import { ENGINE_TIMEOUT, filing, NO_SIMULATOR, removeTemps, tools, workspace, type Workspace } from "./engine-helpers";

afterAll(removeTemps);

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
    const expected = planRegister({ filings: readFilingFiles(w.root), config: readConfigFiles(w.root), today: calendarDate(new Date()) }).servers!.filter((s) => s.vm);
    expect(sim.vms().map((v) => v.name).sort()).toEqual(expected.map((s) => s.id).sort());
  });
});
