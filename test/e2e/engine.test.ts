/**
 * `filing preview` / `filing up` under the real Pulumi CLI and our simulated vCenter, both built by
 * scripts/toolchain.sh from the Go module proxy. What is created is read back from the simulator
 * through the vSphere API, never from Pulumi's outputs. Stages that need something this machine
 * lacks say what and how to get it, and are reported skipped, never passed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { addDays } from "date-fns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfigFiles, readFilingFiles } from "../../lib/filings/read";
import { calendarDate } from "../../lib/filings/period";
import { VSPHERE_ATTRIBUTES, vmNote, vsphereAttributeValues } from "../../lib/plan/labels";
import { planRegister, type ServerSpec } from "../../lib/plan/servers";
import {
  hasVspherePlugin,
  pulumiHome,
  registerRoot,
  SIMULATED_PORT_GROUPS,
  simulatorPackConfig,
  useSimulatorStack,
  useSimulatorStacks,
  startSimulator,
  toolchain,
  type Simulator,
} from "../../scripts/simulator";
import { postgresBin, startPostgres, type Postgres } from "../helpers/postgres";
import { finished } from "../helpers/process";
import { REPO } from "../helpers/register";

const tools = toolchain({ build: false });
const pg = postgresBin();
const cli = tools.pulumiBin;
const plugin = cli ? hasVspherePlugin(cli) : false;
const NO_CLI = "the Pulumi CLI is not built: run bash scripts/toolchain.sh";
const NO_SIMULATOR = !tools.vcsim
  ? "the simulated vCenter is not built: run bash scripts/toolchain.sh"
  : !cli
    ? NO_CLI
    : !plugin
      ? "no vSphere provider plugin 4.17.0 is installed: on a connected machine run pulumi plugin install resource vsphere 4.17.0 and copy ~/.pulumi/plugins here"
      : "";

const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

interface Workspace {
  readonly root: string;
  readonly env: Record<string, string>;
}

/** A register root outside the clone with a state store of its own and the user's Pulumi plugins. */
function workspace(options: Parameters<typeof registerRoot>[1] = {}, home = pulumiHome()): Workspace {
  const root = registerRoot(fs.mkdtempSync(path.join(os.tmpdir(), "filings-engine-")), options);
  temps.push(root);
  fs.mkdirSync(path.join(root, ".state"));
  const env = {
    PATH: `${cli ?? "/nonexistent"}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: root,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${path.join(root, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e",
    // Nothing leaves this machine: no update check, no plugin download.
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  return { root, env };
}

/** The CLI as a child process (test/helpers/process.ts: the worker stays responsive during a long `up`). */
const filing = (args: string[], w: Workspace) => finished(process.execPath, [path.join(REPO, "scripts/filing.js"), ...args, "--root", w.root], { cwd: w.root, env: w.env });

/** A whole `up` of the sample register on the simulator takes about 35 s here. */
const ENGINE_TIMEOUT = 480_000;

const physicalOnly = (_file: string, text: string) => /^type: physical$/m.test(text);

describe("filing preview / up without a provider", { timeout: ENGINE_TIMEOUT }, () => {
  it("without a Pulumi CLI: one line saying how to get it, exit 2", async () => {
    const w = workspace({ keep: physicalOnly });
    const r = await filing(["preview", "--stack", "campus-proxmox"], { ...w, env: { ...w.env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("bash scripts/toolchain.sh");
  });

  it.skipIf(!cli)(`the real CLI runs the program and the pack (no provider needed: physical servers only)${cli ? "" : ` — skipped: ${NO_CLI}`}`, async () => {
    const w = workspace({ keep: physicalOnly });
    const preview = await filing(["preview", "--stack", "campus-proxmox"], w);
    expect(preview.stderr).not.toMatch(/error/i);
    expect(preview.code).toBe(0);
    // The pack ran under the real engine, served by the launcher (no Node.js language host here).
    expect(preview.stderr).toMatch(/Policies:\n\s+✅ server-filings@v0\.1\.0 \(local: .*pulumi-analyzer-policy-filings\)/);
    expect(preview.stdout).toMatch(/^预览完成/m);
    const up = await filing(["up", "--stack", "campus-proxmox"], w);
    expect(up.code, up.stderr).toBe(0);
    // The stack's outputs list the physical servers, which have no VM.
    const outputs = spawnSync(path.join(cli!, "pulumi"), ["stack", "output", "servers", "--json", "--stack", "campus-proxmox", "--cwd", w.root], { env: w.env, encoding: "utf8" });
    expect(outputs.status, outputs.stderr).toBe(0);
    const servers = JSON.parse(outputs.stdout);
    expect(Object.values(servers).every((s: any) => s.state === "physical")).toBe(true);
  });

  it.skipIf(!cli)(`the pack blocks a violation under the real CLI, with the policy's message${cli ? "" : ` — skipped: ${NO_CLI}`}`, async () => {
    // The pack judges the full sample register (its own root) while the program, given only the
    // physical servers, creates no VM: every active virtual filing lacks its VM in this stack.
    const full = workspace();
    const w = workspace({ keep: physicalOnly, packFrom: full.root });
    const r = await filing(["preview", "--stack", "campus-proxmox"], w);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/❌ server-filings@v0\.1\.0/);
    expect(r.stderr).toContain("[mandatory]  stack-every-filing-provisioned");
    // The Proxmox example owns the east campus: its filings, and only those, are asked of this stack.
    expect(r.stderr).toContain("hxy-safety-training：已批准的虚拟服务器备案在本栈中没有对应的虚拟机：备案 1 台，实际 0 台。");
    expect(r.stderr).not.toContain("jwc-exam-scheduling：已批准的虚拟服务器备案在本栈中没有对应的虚拟机");
  });

  it.skipIf(!cli)(`a stack that needs a provider this machine does not have says which and how to install it${cli ? "" : ` — skipped: ${NO_CLI}`}`, async () => {
    // An empty Pulumi home: a machine where no plugin was ever installed.
    const w = workspace({}, fs.mkdtempSync(path.join(os.tmpdir(), "filings-empty-home-")));
    temps.push(w.env.PULUMI_HOME!);
    const r = await filing(["preview", "--stack", "campus-vsphere"], w);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/缺少 Pulumi 资源插件 vsphere：在能联网的机器上运行 pulumi plugin install resource vsphere/);
  });

  it.skipIf(!tools.vcsim)(`the simulated vCenter starts on loopback with the example stack's inventory and an empty filings folder${tools.vcsim ? "" : " — skipped: it is not built: run bash scripts/toolchain.sh"}`, async () => {
    const sim = await startSimulator(tools.vcsim!);
    try {
      expect(sim.server).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(Object.keys(sim.networks).sort()).toEqual(Object.values(SIMULATED_PORT_GROUPS).sort());
      expect(sim.vms()).toEqual([]);
    } finally {
      await sim.stop();
    }
  });

  it("never wrote into the repository's own files (Pulumi writes the salt into a stack file it uses)", async () => {
    for (const stack of ["campus-vsphere", "campus-proxmox"]) {
      expect(fs.readFileSync(path.join(REPO, `stacks/Pulumi.${stack}.yaml`), "utf8")).not.toContain("encryptionsalt");
    }
  });
});

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
  const plan = (root: string, today: string): ServerSpec[] => {
    const p = planRegister({ filings: readFilingFiles(root), config: readConfigFiles(root), today: today as never });
    return (p.servers ?? []).filter((s) => s.vm);
  };
  const editFiling = (root: string, file: string, change: (text: string) => string) =>
    fs.writeFileSync(path.join(root, file), change(fs.readFileSync(path.join(root, file), "utf8")));
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

    const expected = plan(w.root, today);
    const vms = sim.vms();
    expect(vms.map((v) => v.name).sort()).toEqual(expected.map((s) => s.id).sort());
    for (const server of expected) {
      const vm = vms.find((v) => v.name === server.id)!;
      expect({ id: server.id, cpu: vm.numCpus, memoryMiB: vm.memoryMiB, disks: vm.disksGiB, networks: vm.networks, ip: vm.ip, gateway: vm.gateway }).toEqual({
        id: server.id,
        cpu: server.vm!.cpu,
        memoryMiB: server.vm!.memoryMiB,
        disks: [...server.vm!.disksGiB],
        networks: [SIMULATED_PORT_GROUPS[server.state === "expired" ? "quarantine" : server.vm!.zone]],
        ip: server.vm!.ip,
        gateway: server.vm!.gateway,
      });
      expect(vm.annotation).toBe(vmNote(server));
      const values = vsphereAttributeValues(server);
      expect(vm.customAttributes).toEqual(Object.fromEntries(Object.entries(values).map(([k, v]) => [VSPHERE_ATTRIBUTES[k as keyof typeof values], v])));
      // The provider cannot change power state: decommissioned VMs stay on until an operator acts (docs/provisioning.md).
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
  });

  it("removing an active filing's file fails on protection and deletes nothing; decommissioning then removing it deletes exactly that VM", async () => {
    const file = "filings/jwc/course-selection.yaml";
    const text = fs.readFileSync(path.join(w.root, file), "utf8");
    const before = sim.vms().map((v) => v.name).sort();

    fs.rmSync(path.join(w.root, file));
    // The workflow's gate reads filing preview --json: it refuses this removal before anyone merges.
    expect(await gate(w)).toMatchObject({ code: 1 });
    const refused = await run("up", w);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/protect/i);
    expect(sim.vms().map((v) => v.name).sort()).toEqual(before);

    const yesterday = calendarDate(addDays(new Date(), -1));
    fs.writeFileSync(path.join(w.root, file), text.replace(/^status: active$/m, `status: decommissioned\ndecommission:\n  requestedAt: ${yesterday}\n  backupTakenAt: ${yesterday}`));
    const unprotected = await run("up", w);
    expect(unprotected.code, unprotected.stderr).toBe(0);
    expect(sim.vms().map((v) => v.name).sort()).toEqual(before);

    fs.rmSync(path.join(w.root, file));
    const gated = await gate(w);
    expect(gated.code, gated.stderr).toBe(0);
    expect(gated.stderr).toContain("::notice title=decommissioned VM removed::");
    const removed = await run("up", w);
    expect(removed.code, removed.stderr).toBe(0);
    expect(sim.vms().map((v) => v.name).sort()).toEqual(before.filter((n) => n !== "jwc-course-selection"));
  });

  it("past the grace period an expired filing's VM is moved to the quarantine port group, and the rest of the stack deploys", async () => {
    // The day after the earliest period end plus the grace period: that filing (and any other by then) is expired.
    const servers = plan(w.root, today);
    const grace = planRegister({ filings: readFilingFiles(w.root), config: readConfigFiles(w.root), today: today as never }).config!.limits.expiryGraceDays;
    const earliest = servers.filter((s) => s.state === "running").map((s) => s.period.end).sort()[0]!;
    const day = calendarDate(addDays(new Date(`${earliest}T00:00:00Z`), grace + 1));
    const up = await run("up", w, "--today", day);
    expect(up.code, up.stderr).toBe(0);
    const later = plan(w.root, day);
    const expired = later.filter((s) => s.state === "expired").map((s) => s.id);
    expect(expired.length).toBeGreaterThan(0);
    expect(expired.length).toBeLessThan(later.length);
    for (const vm of sim.vms()) {
      const zone = later.find((s) => s.id === vm.name)!.vm!.zone;
      expect({ name: vm.name, networks: vm.networks }).toEqual({ name: vm.name, networks: [expired.includes(vm.name) ? SIMULATED_PORT_GROUPS.quarantine : SIMULATED_PORT_GROUPS[zone]] });
    }
  });
});

describe.skipIf(NO_SIMULATOR !== "")(`two stacks on one simulated vCenter${NO_SIMULATOR ? ` — skipped: ${NO_SIMULATOR}` : ""}`, { timeout: ENGINE_TIMEOUT }, () => {
  it(`each owns one campus; after the first stack's first up, both ups run at once and every virtual filing has exactly one VM (state in ${pg.bin ? "PostgreSQL" : "a file backend: PostgreSQL is not installed"})`, async () => {
    const sim = await startSimulator(tools.vcsim!);
    const postgres = pg.bin ? await startPostgres(pg.bin) : undefined;
    try {
      const w = workspace();
      w.env.VSPHERE_PASSWORD = sim.password;
      if (postgres) {
        postgres.createDatabase("stacks");
        w.env.PULUMI_BACKEND_URL = postgres.url("stacks");
      }
      // vCenter holds each custom attribute definition once: one stack manages them, the other looks them up.
      useSimulatorStacks(w.root, sim.server, { "sim-main": { campuses: ["main"] }, "sim-east": { campuses: ["east"], customAttributes: "lookup" } });
      const packConfig = path.join(w.root, "policy-config.json");
      fs.writeFileSync(packConfig, simulatorPackConfig(sim));
      // What the deploy workflow's matrix is built from.
      const listed = await filing(["stacks", "--format", "json"], w);
      expect(listed.code, listed.stderr).toBe(0);
      const stacks = (JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name);
      expect(stacks).toEqual(["sim-east", "sim-main"]);
      // The managing stack's first up defines the attributes (docs/provisioning.md, "Several stacks on one vCenter").
      const first = await filing(["up", "--stack", "sim-main", "--policy-pack-config", packConfig], w);
      expect(first.code, first.stderr).toBe(0);
      // Then a change in each campus, and both stacks at once, as the deploy matrix runs them.
      const more = (file: string) => fs.writeFileSync(path.join(w.root, file), fs.readFileSync(path.join(w.root, file), "utf8").replace(/memoryGiB: (\d+)/, (_m, n) => `memoryGiB: ${Number(n) * 2}`));
      more("filings/jwc/course-selection.yaml");
      more("filings/wgy/language-lab.yaml");
      const ups = await Promise.all(stacks.map((stack) => filing(["up", "--stack", stack, "--policy-pack-config", packConfig], w)));
      for (const up of ups) expect(up.code, up.stderr).toBe(0);
      // sim-east: its stack, and a component and a VM for each of its 4 filings; sim-main: the one changed VM.
      expect(ups[0]!.stdout).toMatch(/^部署完成：create 9$/m);
      expect(ups[1]!.stdout).toMatch(/update 1/);
      expect(ups[1]!.stdout).not.toMatch(/create|delete|replace/);

      const today = calendarDate(new Date());
      const virtual = (planRegister({ filings: readFilingFiles(w.root), config: readConfigFiles(w.root), today: today as never }).servers ?? []).filter((s) => s.vm);
      const names = sim.vms().map((v) => v.name).sort();
      expect(names).toEqual(virtual.map((s) => s.id).sort());
      expect(new Set(names).size).toBe(names.length);
      // Each stack's state holds its own campus's VMs only.
      if (postgres) {
        for (const [stack, prefix] of [["sim-east", /^(hxy|wgy)-/], ["sim-main", /^(?!hxy-|wgy-)/]] as const) {
          const state = spawnSync(path.join(tools.pulumiBin!, "pulumi"), ["stack", "export", "--stack", stack, "--cwd", w.root], { env: w.env, encoding: "utf8" });
          expect(state.status, state.stderr).toBe(0);
          const vms = (JSON.parse(state.stdout).deployment.resources as { type: string; urn: string }[]).filter((r) => r.type === "vsphere:index/virtualMachine:VirtualMachine").map((r) => r.urn.split("::").pop()!);
          expect(vms.length).toBeGreaterThan(0);
          expect(vms.every((n) => prefix.test(n)), `${stack}: ${vms.join(", ")}`).toBe(true);
        }
      }
      const again = await Promise.all(stacks.map((stack) => filing(["preview", "--stack", stack, "--policy-pack-config", packConfig], w)));
      for (const p of again) {
        expect(p.code, p.stderr).toBe(0);
        expect(p.stdout).toMatch(/^预览完成：same \d+$/m);
      }
    } finally {
      await sim.stop();
      postgres?.stop();
    }
  });
});
