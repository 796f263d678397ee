/**
 * `filing preview` / `filing up` under the real Pulumi CLI and our simulated vCenter, both built by
 * scripts/toolchain.sh from the Go module proxy. What is created is read back from the simulator
 * through the vSphere API, never from Pulumi's outputs. Skipped, with what is missing, where the
 * toolchain or the vSphere plugin is not here.
 */

import fs from "node:fs";
import path from "node:path";
import { addDays } from "date-fns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFilingFiles } from "../../lib/filings/read";
import { readConfigFiles } from "../../lib/config/read";
import { calendarDate } from "../../lib/filings/dates";
import { VSPHERE_ATTRIBUTES, vmNote, vsphereAttributeValues } from "../../lib/plan/labels";
import { outOfService, planRegister } from "../../lib/plan/servers";
import { SIMULATED_PORT_GROUPS, SIMULATED_QUARANTINE, simulatorPackConfig, startSimulator, useSimulatorStack, type Simulator } from "../../scripts/simulator";
import { startPostgres, type Postgres } from "../helpers/postgres";
import { editFiling, ENGINE_TIMEOUT, filing, NO_SIMULATOR, pg, plannedVms, removeTemps, tools, workspace, type Workspace } from "./engine-helpers";

afterAll(removeTemps);

describe.skipIf(NO_SIMULATOR !== "")(`on the simulated vCenter with the vSphere provider${NO_SIMULATOR ? ` — skipped: ${NO_SIMULATOR}` : ""}`, { timeout: ENGINE_TIMEOUT }, () => {
  let sim: Simulator;
  let w: Workspace;
  let packConfig: string;
  let postgres: Postgres | undefined;
  const STACK = "campus-vsphere";

  /** The simulator's stack file in a root, and the pack told which port group ids belong to which zone. */
  function onSimulator(root: string): void {
    useSimulatorStack(root, STACK, sim.server);
  }
  const run = async (kind: "preview" | "up", ws: Workspace, ...extra: string[]) =>
    filing([kind, "--stack", STACK, "--policy-pack-config", packConfig, ...extra], ws);
  /** `filing preview --json`, then `filing preview-gate` on what it printed, as the preview workflow does. */
  const gate = async (ws: Workspace) => {
    const preview = await run("preview", ws, "--json");
    const digest = path.join(ws.root, "preview.json");
    fs.writeFileSync(digest, preview.stdout);
    return filing(["preview-gate", digest, "--stack", STACK], ws);
  };
  const today = calendarDate(new Date());

  beforeAll(async () => {
    sim = await startSimulator(tools.vcsim!);
    w = workspace();
    w.env.VSPHERE_PASSWORD = sim.password;
    // The production state store where this machine has PostgreSQL (docs/operations.md); else the file backend.
    if (pg.bin) {
      postgres = await startPostgres(pg.bin);
      postgres.createDatabase("filings");
      w.env.PULUMI_BACKEND_URL = postgres.url("filings");
    }
    onSimulator(w.root);
    packConfig = path.join(w.root, "policy-config.json");
    fs.writeFileSync(packConfig, simulatorPackConfig(sim));
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
    postgres?.stop();
  });

  it(`preview passes the pack, up creates every active virtual filing, and the simulator holds exactly what each filing says; a second preview is empty (state in ${pg.bin ? "PostgreSQL" : "a file backend: PostgreSQL is not installed"})`, async () => {
    const preview = await run("preview", w);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stderr).toMatch(/✅ server-filings@v0\.1\.0/);
    const up = await run("up", w);
    expect(up.code, up.stderr).toBe(0);
    if (postgres) expect(Number(postgres.query("filings", "SELECT count(*) FROM pulumi_state WHERE key LIKE '%campus-vsphere%'"))).toBeGreaterThan(0);

    // A fresh stack creates no VM for a decommissioned filing: it says so, once per filing.
    const planned = plannedVms(w.root, today);
    const expected = planned.filter((s) => s.state !== "decommissioned");
    for (const s of planned.filter((p) => p.state === "decommissioned")) expect(up.stderr).toContain(`${s.id}：已下线，本堆栈中没有它的虚拟机，不会创建。`);
    const vms = sim.vms();
    expect(vms.map((v) => v.name).sort()).toEqual(expected.map((s) => s.id).sort());
    for (const server of expected) {
      const vm = vms.find((v) => v.name === server.id)!;
      expect({ id: server.id, cpu: vm.numCpus, memoryMiB: vm.memoryMiB, disks: vm.disksGiB, networks: vm.networks, ip: vm.ip, gateway: vm.gateway }).toEqual({
        id: server.id,
        cpu: server.vm!.cpu,
        memoryMiB: server.vm!.memoryMiB,
        disks: [...server.vm!.disksGiB],
        // Out of service (expired past the grace period, or decommissioned): off the network, on the zone's quarantine port group.
        networks: [(outOfService(server.state) ? SIMULATED_QUARANTINE : SIMULATED_PORT_GROUPS)[server.vm!.zone]],
        ip: server.vm!.ip,
        gateway: server.vm!.gateway,
      });
      expect(vm.annotation).toBe(vmNote(server));
      const values = vsphereAttributeValues(server);
      expect(vm.customAttributes).toEqual(Object.fromEntries(Object.entries(values).map(([k, v]) => [VSPHERE_ATTRIBUTES[k as keyof typeof values], v])));
      // The provider cannot change power state: decommissioned VMs stay on, off the network, until an operator acts (docs/provisioning.md).
      expect(vm.powerState).toBe("poweredOn");
    }

    const again = await run("preview", w);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^预览完成：same \d+$/m);
  });

  it("more memory in one filing updates that VM in place and nothing else", async () => {
    const before = sim.vms();
    editFiling(w.root, "filings/jwc/course-selection.yaml", (t) => t.replace(/memoryGiB: (\d+)/, (_m, n) => `memoryGiB: ${Number(n) * 2}`));
    const up = await run("up", w);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/update 1/);
    expect(up.stdout).not.toMatch(/create|delete|replace/);
    const after = sim.vms();
    const changed = after.filter((vm) => JSON.stringify(vm) !== JSON.stringify(before.find((b) => b.name === vm.name)));
    expect(changed.map((v) => v.name)).toEqual(["jwc-course-selection"]);
    expect(changed[0]!.memoryMiB).toBe(before.find((b) => b.name === "jwc-course-selection")!.memoryMiB * 2);
  });

  it("a VM larger than its filing is blocked by the pack with the policy's message", async () => {
    // The program is given a register where one filing asks for more CPU; the pack judges the register it sits beside.
    const larger = workspace({ packFrom: w.root });
    larger.env.VSPHERE_PASSWORD = sim.password;
    onSimulator(larger.root);
    editFiling(larger.root, "filings/jwc/course-selection.yaml", (t) => t.replace(/cpu: (\d+)/, (_m, n) => `cpu: ${Number(n) + 2}`));
    const r = await run("preview", larger);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("[mandatory]  vm-within-filing");
    expect(r.stderr).toMatch(/jwc-course-selection：vCPU 超出备案：备案 \d+ vCPU，实际 \d+ vCPU。/);
    // In the user's language only, ending with what stopped the run rather than Pulumi's exit code.
    expect(r.stderr).not.toContain("above the filing");
    expect(r.stderr.trim().split("\n").pop()).toBe("策略包阻止了这次运行：见上方标为 mandatory 的违规，每条都写明了是哪台虚拟机、应当如何。");
    // With --lang en the pack speaks English too.
    const en = await run("preview", larger, "--lang", "en");
    expect(en.code).toBe(1);
    expect(en.stderr).toMatch(/jwc-course-selection: vCPU above the filing: filed \d+ vCPU, found \d+ vCPU\./);
    expect(en.stderr).not.toContain("超出备案");
    expect(en.stderr.trim().split("\n").pop()).toBe("The policy pack stopped this run: see the mandatory violations above, each naming its VM and what it must be.");
  });

  it("removing an active filing's file fails on protection and deletes nothing; decommissioning, powering off in vCenter, then removing it deletes exactly that VM", async () => {
    const file = "filings/jwc/course-selection.yaml";
    const text = fs.readFileSync(path.join(w.root, file), "utf8");
    const before = sim.vms().map((v) => v.name).sort();

    fs.rmSync(path.join(w.root, file));
    // The workflow's gate reads filing preview --json: it refuses this removal before anyone merges.
    expect(await gate(w)).toMatchObject({ code: 1 });
    const refused = await run("up", w);
    expect(refused.code).not.toBe(0);
    // The way out is the two-step decommission, never Pulumi's own advice to unprotect.
    expect(refused.stderr).toContain("在用备案的虚拟机不能随文件删除");
    expect(refused.stderr).not.toContain("pulumi exited with");
    expect(sim.vms().map((v) => v.name).sort()).toEqual(before);

    const yesterday = calendarDate(addDays(new Date(), -1));
    fs.writeFileSync(path.join(w.root, file), text.replace(/^status: active$/m, `status: decommissioned\ndecommission:\n  requestedAt: ${yesterday}\n  backupTakenAt: ${yesterday}`));
    const unprotected = await run("up", w);
    expect(unprotected.code, unprotected.stderr).toBe(0);
    expect(sim.vms().map((v) => v.name).sort()).toEqual(before);

    // Powered off in vCenter (the provider cannot), or the removal is refused (engine-changes.test.ts).
    sim.powerOff("jwc-course-selection");
    fs.rmSync(path.join(w.root, file));
    const gated = await gate(w);
    expect(gated.code, gated.stderr).toBe(0);
    expect(gated.stderr).toContain("::notice title=decommissioned VM removed::");
    const removed = await run("up", w);
    expect(removed.code, removed.stderr).toBe(0);
    expect(sim.vms().map((v) => v.name).sort()).toEqual(before.filter((n) => n !== "jwc-course-selection"));
  });

  it("past the grace period expired VMs of both zones move to their zone's quarantine port group, and the rest of the stack deploys", async () => {
    // The first day on which a filing of each zone is past its grace period.
    const servers = plannedVms(w.root, today);
    const grace = planRegister({ filings: readFilingFiles(w.root), config: readConfigFiles(w.root), today: today as never }).config!.limits.expiryGraceDays;
    const earliest = (zone: string) => servers.filter((s) => s.state === "running" && s.vm?.zone === zone).map((s) => s.period.end).sort()[0]!;
    const both = [earliest("internal"), earliest("external")].sort()[1]!;
    const day = calendarDate(addDays(new Date(`${both}T00:00:00Z`), grace + 1));
    const up = await run("up", w, "--today", day);
    expect(up.code, up.stderr).toBe(0);
    const later = plannedVms(w.root, day);
    const expired = later.filter((s) => s.state === "expired").map((s) => s.id);
    const quarantined = later.filter((s) => outOfService(s.state)).map((s) => s.id);
    expect(new Set(later.filter((s) => s.state === "expired").map((s) => s.vm!.zone))).toEqual(new Set(["internal", "external"]));
    expect(expired.length).toBeLessThan(later.length);
    for (const vm of sim.vms()) {
      const zone = later.find((s) => s.id === vm.name)!.vm!.zone;
      expect({ name: vm.name, networks: vm.networks }).toEqual({ name: vm.name, networks: [(quarantined.includes(vm.name) ? SIMULATED_QUARANTINE : SIMULATED_PORT_GROUPS)[zone]] });
    }
  });
});
