/**
 * Ctrl+C during `filing up`, as a terminal sends it (SIGINT to the whole process group), on the
 * simulated vCenter with the real Pulumi CLI. The CLI cancels gracefully only while the `filing`
 * process that serves its program lives on (scripts/cli/interrupt.ts).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { simulatorPackConfig, startSimulator, useSimulatorStack } from "../../scripts/simulator";
import { started } from "../helpers/process";
import { REPO } from "../helpers/register";
import { readConfigFiles } from "../../lib/config/read";
import { calendarDate } from "../../lib/filings/dates";
import { readFilingFiles } from "../../lib/filings/read";
import { planRegister } from "../../lib/plan/servers";
import { ENGINE_TIMEOUT, NO_SIMULATOR, removeTemps, tools, workspace } from "./engine-helpers";

afterAll(removeTemps);

describe.skipIf(NO_SIMULATOR !== "")(`an interrupted filing up${NO_SIMULATOR ? ` — skipped: ${NO_SIMULATOR}` : ""}`, { timeout: ENGINE_TIMEOUT }, () => {
  it("Ctrl+C lets Pulumi cancel: exit 130 with what to do next, no pending operations, no lock, and the next up creates the rest", async () => {
    const sim = await startSimulator(tools.vcsim!);
    try {
      const w = workspace();
      w.env.VSPHERE_PASSWORD = sim.password;
      useSimulatorStack(w.root, "campus-vsphere", sim.server);
      const packConfig = path.join(w.root, "policy-config.json");
      fs.writeFileSync(packConfig, simulatorPackConfig(sim));
      const args = ["--stack", "campus-vsphere", "--policy-pack-config", packConfig, "--root", w.root];

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
    } finally {
      await sim.stop();
    }
  });
});
