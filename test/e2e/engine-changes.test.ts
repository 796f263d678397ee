/**
 * Every change a filing can make that deploys (docs/lifecycle.md, "Every change a filing can make"),
 * one stage each, on the simulated vCenter with the real Pulumi CLI: one department's register is
 * deployed once, then each stage edits one filing as the department would, runs `filing up`, and
 * reads every VM back through the vSphere API (never Pulumi's outputs): exactly that VM changed, as
 * filed, and a second preview is empty. The stages build on each other, in order. A simulator of
 * its own, so that no other file's VMs or changes are in what is read back. Skipped, with what is
 * missing, where the toolchain or the vSphere plugin is not here.
 */
import fs from "node:fs";
import path from "node:path";
import { addDays } from "date-fns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfigFiles } from "../../lib/config/read";
import { calendarDate, periodEnd, plusDays, type IsoDate } from "../../lib/filings/dates";
import { readFilingFiles } from "../../lib/filings/read";
import { VSPHERE_ATTRIBUTES, vmNote } from "../../lib/plan/labels";
import { planRegister, type ServerSpec } from "../../lib/plan/servers";
import { SIMULATED_PORT_GROUPS, SIMULATED_QUARANTINE, simulatorPackConfig, startSimulator, useSimulatorStack, type SimulatedVm, type Simulator } from "../../scripts/simulator";
import { editFiling, ENGINE_TIMEOUT, filing, NO_SIMULATOR, plannedVms, removeTemps, tools, workspace, type Workspace } from "./engine-helpers";

afterAll(removeTemps);

/** 教务处's three virtual filings: one external (ports), two internal; enough for every change kind. */
const DEPARTMENT = "jwc";
const EXTERNAL = "jwc-course-selection";
const INTERNAL = "jwc-exam-scheduling";
const ARCHIVE = "jwc-grade-archive";
const fileOf = (id: string) => `filings/${DEPARTMENT}/${id.slice(DEPARTMENT.length + 1)}.yaml`;

describe.skipIf(NO_SIMULATOR !== "")(`each change a filing can make, deployed on the simulated vCenter${NO_SIMULATOR ? ` — skipped: ${NO_SIMULATOR}` : ""}`, { timeout: ENGINE_TIMEOUT }, () => {
  let sim: Simulator;
  let w: Workspace;
  let packConfig: string;
  const STACK = "sim-changes";
  const today = calendarDate(new Date());

  const run = (kind: "preview" | "up", ...extra: string[]) => filing([kind, "--stack", STACK, "--policy-pack-config", packConfig, ...extra], w);
  const plan = (day: IsoDate): ServerSpec[] => plannedVms(w.root, day);
  const server = (id: string, day: IsoDate = today) => plan(day).find((s) => s.id === id)!;
  const vm = (vms: SimulatedVm[], id: string) => vms.find((v) => v.name === id)!;
  /** `部署完成：same 5, update 1` → { same: 5, update: 1 }. */
  const steps = (stdout: string): Record<string, number> => {
    const line = /^(?:部署完成|预览完成)：(.*)$/m.exec(stdout)?.[1] ?? "";
    return Object.fromEntries(line.split(", ").filter((p) => / \d+$/.test(p)).map((p) => [p.slice(0, p.lastIndexOf(" ")), Number(p.slice(p.lastIndexOf(" ") + 1))]));
  };

  /**
   * One filing edited, `filing up`, and the simulator read back: every VM but `id` exactly as
   * before, `id` as before with `expected` over it (what the stage says the change does), and a
   * second preview that finds nothing to do.
   */
  async function deploys(id: string, change: (text: string) => string, expected: (before: SimulatedVm) => Partial<SimulatedVm>, ...extra: string[]) {
    const before = sim.vms();
    editFiling(w.root, fileOf(id), change);
    const up = await run("up", ...extra);
    expect(up.code, up.stderr).toBe(0);
    const { same: _same, ...changed } = steps(up.stdout);
    expect(changed, up.stdout).toEqual({ update: 1 });
    const after = sim.vms();
    expect(after).toEqual(before.map((v) => (v.name === id ? { ...v, ...expected(v) } : v)));
    const again = await run("preview", ...extra);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout, "a second preview after the change").toMatch(/^预览完成：same \d+$/m);
    return { up, before: vm(before, id), after: vm(after, id) };
  }
  /** A department's edit of one line under `resources:`. */
  const resource = (key: "cpu" | "memoryGiB", to: (n: number) => number) => (text: string) =>
    text.replace(new RegExp(`^ {2}${key}: (\\d+)$`, "m"), (_m, n: string) => `  ${key}: ${to(Number(n))}`);

  beforeAll(async () => {
    sim = await startSimulator(tools.vcsim!);
    w = workspace({ keep: (file) => file.includes(`${path.sep}filings${path.sep}${DEPARTMENT}${path.sep}`) });
    w.env.VSPHERE_PASSWORD = sim.password;
    useSimulatorStack(w.root, STACK, sim.server);
    packConfig = path.join(w.root, "policy-config.json");
    fs.writeFileSync(packConfig, simulatorPackConfig(sim));
    const up = await run("up");
    if (up.code !== 0) throw new Error(`the first up failed:\n${up.stderr}`);
    const names = sim.vms().map((v) => v.name);
    if (JSON.stringify(names) !== JSON.stringify([EXTERNAL, INTERNAL, ARCHIVE].sort())) throw new Error(`the first up made ${names.join(", ")}`);
  }, ENGINE_TIMEOUT);
  afterAll(async () => {
    await sim?.stop();
  });

  it("a disk grows: that disk of that VM is larger, in place; nothing else changes", async () => {
    const { before } = await deploys(ARCHIVE, (t) => t.replace("- sizeGiB: 1000", "- sizeGiB: 1500"), (v) => ({ disksGiB: [v.disksGiB[0]!, 1500] }));
    expect(before.disksGiB).toEqual([100, 1000]);
  });

  it("a disk is added: the VM has one more disk of the filed size, the others untouched", async () => {
    const { before } = await deploys(INTERNAL, (t) => t.replace(/( {4}- sizeGiB: 100\n)/, "$1    - sizeGiB: 200\n"), (v) => ({ disksGiB: [...v.disksGiB, 200] }));
    expect(before.disksGiB).toEqual([100]);
  });

  it("more CPU: the VM has the filed vCPUs, and is running again after the deploy", async () => {
    const { after } = await deploys(EXTERNAL, resource("cpu", (n) => n + 4), (v) => ({ numCpus: v.numCpus + 4 }));
    expect(after.powerState).toBe("poweredOn");
  });

  it("less CPU: the VM has the filed vCPUs, and is running again after the deploy", async () => {
    const { after } = await deploys(INTERNAL, resource("cpu", (n) => n / 2), (v) => ({ numCpus: v.numCpus / 2 }));
    expect(after.powerState).toBe("poweredOn");
  });

  it("less memory: the VM has the filed memory, and is running again after the deploy", async () => {
    const { after } = await deploys(ARCHIVE, resource("memoryGiB", (n) => n / 2), (v) => ({ memoryMiB: v.memoryMiB / 2 }));
    expect(after.powerState).toBe("poweredOn");
  });

  // Nothing on vSphere filters ports: what changes is the record the pack and the firewall team read.
  const exposure = (v: SimulatedVm, ports: string) => ({
    annotation: v.annotation.replace(/^对外开放 Exposure: .*$/m, `对外开放 Exposure: ${ports}`),
    customAttributes: { ...v.customAttributes, [VSPHERE_ATTRIBUTES.exposure]: ports },
  });

  it("a port opened on an external filing: the VM's annotation and exposure attribute name it; its network is unchanged", async () => {
    const { after } = await deploys(EXTERNAL, (t) => t.replace("ports: [ 443/tcp ]", "ports: [ 443/tcp, 80/tcp ]"), (v) => exposure(v, "443/tcp, 80/tcp"));
    expect(after.annotation).toBe(vmNote(server(EXTERNAL)));
    expect(after.networks).toEqual([SIMULATED_PORT_GROUPS.external]);
  });

  it("a port closed on an external filing: the record no longer names it", async () => {
    const { after } = await deploys(EXTERNAL, (t) => t.replace("ports: [ 443/tcp, 80/tcp ]", "ports: [ 443/tcp ]"), (v) => exposure(v, "443/tcp"));
    expect(after.annotation).toBe(vmNote(server(EXTERNAL)));
  });

  it("renewal: a VM quarantined past its grace period returns to its port group, and its recorded period end moves", async () => {
    // The day the internal filing is past its grace period and the others still run.
    const grace = planRegister({ filings: readFilingFiles(w.root), config: readConfigFiles(w.root), today }).config!.limits.expiryGraceDays;
    const end = server(INTERNAL).period.end;
    const day = plusDays(end, grace + 1);
    expect(plan(day).filter((s) => s.state === "expired").map((s) => s.id)).toEqual([INTERNAL]);
    const running = sim.vms();
    const lapsed = await run("up", "--today", day);
    expect(lapsed.code, lapsed.stderr).toBe(0);
    const quarantined = sim.vms();
    expect(quarantined.filter((v) => v.name !== INTERNAL)).toEqual(running.filter((v) => v.name !== INTERNAL));
    expect(vm(quarantined, INTERNAL).networks).toEqual([SIMULATED_QUARANTINE.internal]);

    // The department renews late, from the day after the old end, as the reminder asks.
    const start = plusDays(end, 1);
    const { after } = await deploys(
      INTERNAL,
      (t) => t.replace(/^ {2}start: .*$/m, `  start: ${start}`),
      () => ({
        networks: [SIMULATED_PORT_GROUPS.internal],
        annotation: vmNote(server(INTERNAL, day)),
        customAttributes: { ...vm(running, INTERNAL).customAttributes, [VSPHERE_ATTRIBUTES.periodEnd]: server(INTERNAL, day).period.end },
      }),
      "--today",
      day,
    );
    expect(after.customAttributes[VSPHERE_ATTRIBUTES.periodEnd]).toBe(periodEnd(start, 12));
    // Back as it ran before it lapsed, but for the new period.
    expect({ ...after, annotation: "", customAttributes: {} }).toEqual({ ...vm(running, INTERNAL), annotation: "", customAttributes: {} });
    expect(after.annotation).not.toContain("隔离");
  });

  it("decommission: the VM leaves the network for its zone's quarantine port group, keeps its data, and is said to be powered off in vCenter while it runs", async () => {
    const yesterday = calendarDate(addDays(new Date(), -1));
    const { up, after } = await deploys(
      ARCHIVE,
      (t) => t.replace(/^status: active$/m, `status: decommissioned\ndecommission:\n  requestedAt: ${yesterday}\n  backupTakenAt: ${yesterday}`),
      () => ({ annotation: vmNote(server(ARCHIVE)), networks: [SIMULATED_QUARANTINE.internal] }),
    );
    expect(after.annotation).toContain("vSphere 网卡移入隔离端口组，须在 vCenter 中手动关机");
    expect(after.powerState).toBe("poweredOn");
    expect(up.stderr).toContain(`${ARCHIVE}：已下线，网卡在隔离端口组 ${SIMULATED_QUARANTINE.internal}（暂停网络服务，数据保留）；电源状态为 on。`);
  });

  it("while a decommissioned VM runs, drift says so and its removal is refused; powered off in vCenter, the deploy reads it off and the removal deletes it", async () => {
    const drift = () => filing(["drift", "--repo", "campus/filings", "--stack", STACK, "--dry-run"], w);
    const removal = async () => {
      const file = fileOf(ARCHIVE);
      const kept = fs.readFileSync(path.join(w.root, file), "utf8");
      fs.rmSync(path.join(w.root, file));
      const preview = await run("preview", "--json");
      const digest = path.join(w.root, "removal.json");
      fs.writeFileSync(digest, preview.stdout);
      const gate = await filing(["preview-gate", digest], w);
      return { preview, gate, restore: () => fs.writeFileSync(path.join(w.root, file), kept) };
    };

    const running = await drift();
    expect(running.code, running.stderr).toBe(1);
    expect(running.stdout.trim().split("\n")).toEqual([`✗ ${ARCHIVE}：备案要求关机（已下线，或过期超过宽限期），平台报告它仍在运行。请在平台上关机（vSphere 在 vCenter 中手动关机）。`]);
    // The last deploy recorded it off nowhere, and the removal's preview asks vCenter, not the state.
    const refused = await removal();
    expect(refused.preview.code, refused.preview.stderr).toBe(0);
    expect(refused.preview.stderr).toContain(`注意：虚拟机 ${ARCHIVE} 将被删除，但平台报告它仍在运行（on）；删除前须先关机。`);
    expect(refused.gate.code, refused.gate.stdout).toBe(1);
    expect(refused.gate.stderr).toContain(`虚拟机 ${ARCHIVE} 将被删除，但平台报告它仍在运行（on）。只有已关机的虚拟机才能删除`);
    refused.restore();
    expect(sim.vms().map((v) => v.name)).toContain(ARCHIVE);

    sim.powerOff(ARCHIVE);
    const outputs = path.join(w.root, "outputs.json");
    const up = await run("up", "--outputs", outputs);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain(`从平台读取 1 台虚拟机的电源状态（应关机或将删除）：${ARCHIVE}`);
    expect(up.stderr).not.toContain("电源状态为 on");
    expect(up.stderr).toContain(`${ARCHIVE}：已下线，vCenter 报告已关机。部署不再改动这台虚拟机`);
    expect(JSON.parse(fs.readFileSync(outputs, "utf8")).servers[ARCHIVE]).toMatchObject({ state: "decommissioned", power: "off" });
    const clean = await drift();
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    // A later edit of the decommissioned filing changes nothing on the VM: any reconfigure would power it on.
    const off = sim.vms();
    editFiling(w.root, fileOf(ARCHIVE), (t) => t.replace('phone: "13912345678"', 'phone: "13912345679"'));
    const edited = await run("up");
    expect(edited.code, edited.stderr).toBe(0);
    expect(steps(edited.stdout).update, edited.stdout).toBeUndefined();
    expect(sim.vms()).toEqual(off);
    expect(vm(off, ARCHIVE).powerState).toBe("poweredOff");

    const before = sim.vms();
    const allowed = await removal();
    expect(allowed.gate.code, allowed.gate.stderr).toBe(0);
    expect(allowed.gate.stderr).toContain(`虚拟机 ${ARCHIVE} 将被删除：其备案已下线（已记录备份），本次变更删除了备案文件。`);
    const removed = await run("up");
    expect(removed.code, removed.stderr).toBe(0);
    expect(sim.vms()).toEqual(before.filter((v) => v.name !== ARCHIVE));
    // Put back, the decommissioned file makes no new, empty VM.
    allowed.restore();
    const back = await run("up");
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toContain(`${ARCHIVE}：已下线，本堆栈中没有它的虚拟机，不会创建。`);
    expect(sim.vms().map((v) => v.name)).not.toContain(ARCHIVE);
    fs.rmSync(path.join(w.root, fileOf(ARCHIVE)));
  });

  it("an active VM powered off by hand: drift says the service is down; decommissioned then, it is left off and as it was; removed while it runs, the deploy does not delete it", async () => {
    const drift = () => filing(["drift", "--repo", "campus/filings", "--stack", STACK, "--dry-run"], w);
    const yesterday = calendarDate(addDays(new Date(), -1));
    const decommission = (t: string) => t.replace(/^status: active$/m, `status: decommissioned\ndecommission:\n  requestedAt: ${yesterday}\n  backupTakenAt: ${yesterday}`);
    sim.powerOff(EXTERNAL);
    const down = await drift();
    expect(down.code, down.stderr).toBe(1);
    expect(down.stdout.trim().split("\n")).toEqual([`✗ ${EXTERNAL}：备案在用，平台报告它已关机（服务中断）。请在平台上开机；若不再使用，请提交下线申请。`]);

    // Decommissioned while it is off: the deploy reads it off first and leaves it so (no reconfigure, which would power it on).
    const off = sim.vms();
    editFiling(w.root, fileOf(EXTERNAL), decommission);
    const up = await run("up");
    expect(up.code, up.stderr).toBe(0);
    expect(sim.vms()).toEqual(off);
    expect(vm(off, EXTERNAL).powerState).toBe("poweredOff");

    // The other internal filing, decommissioned while it runs, then its file removed: the deploy reads it running and keeps it.
    editFiling(w.root, fileOf(INTERNAL), decommission);
    expect((await run("up")).code).toBe(0);
    fs.rmSync(path.join(w.root, fileOf(INTERNAL)));
    const kept = await run("up");
    expect(kept.code, kept.stderr).toBe(1);
    expect(kept.stderr).toContain(`  ✗ ${INTERNAL}：将删除，但平台报告它仍在运行（on），本次没有删除。`);
    expect(sim.vms().map((v) => v.name)).toContain(INTERNAL);
    // Off, it goes; so does the one left off.
    sim.powerOff(INTERNAL);
    fs.rmSync(path.join(w.root, fileOf(EXTERNAL)));
    const removed = await run("up");
    expect(removed.code, removed.stderr).toBe(0);
    expect(sim.vms().map((v) => v.name)).toEqual([]);
  });
});
