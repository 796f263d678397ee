/**
 * Two stacks, each owning one campus, deploying to one simulated vCenter with their state in one
 * PostgreSQL (where installed): both ups at once, every virtual filing with exactly one VM; then
 * `filing drift` on one of them, before and after a VM is changed by hand.
 * Skipped, with what is missing, where the toolchain or the vSphere plugin is not here.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFilingFiles } from "../../lib/filings/read";
import { readConfigFiles } from "../../lib/config/read";
import { calendarDate } from "../../lib/filings/dates";
import { planRegister } from "../../lib/plan/servers";
import { simulatorPackConfig, startSimulator, useSimulatorStacks, type Simulator } from "../../scripts/simulator";
import { startPostgres, type Postgres } from "../helpers/postgres";
import { ENGINE_TIMEOUT, filing, NO_SIMULATOR, pg, removeTemps, tools, workspace, type Workspace } from "./engine-helpers";

afterAll(removeTemps);

describe.skipIf(NO_SIMULATOR !== "")(`two stacks on one simulated vCenter${NO_SIMULATOR ? ` — skipped: ${NO_SIMULATOR}` : ""}`, { timeout: ENGINE_TIMEOUT }, () => {
  let sim: Simulator;
  let postgres: Postgres | undefined;
  let w: Workspace;
  beforeAll(async () => {
    sim = await startSimulator(tools.vcsim!);
    postgres = pg.bin ? await startPostgres(pg.bin) : undefined;
    w = workspace();
    w.env.VSPHERE_PASSWORD = sim.password;
    if (postgres) {
      postgres.createDatabase("stacks");
      w.env.PULUMI_BACKEND_URL = postgres.url("stacks");
    }
  }, 60_000);
  afterAll(async () => {
    await sim?.stop();
    postgres?.stop();
  });

  it(`each owns one campus; after the first stack's first up, both ups run at once and every virtual filing has exactly one VM (state in ${pg.bin ? "PostgreSQL" : "a file backend: PostgreSQL is not installed"})`, async () => {
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
    // Fresh stacks: no VM for a decommissioned filing.
    const virtual = (planRegister({ filings: readFilingFiles(w.root), config: readConfigFiles(w.root), today: today as never }).servers ?? []).filter((s) => s.vm && s.state !== "decommissioned");
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
  });

  // The smaller stack (one campus's four filings), deployed above: drift's refresh reads each of its VMs.
  it("filing drift finds a VM changed by hand in vCenter, in the filing's terms; the stack as deployed is clean", async () => {
    const drift = () => filing(["drift", "--repo", "campus/filings", "--stack", "sim-east", "--dry-run"], w);
    const clean = await drift();
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain("堆栈 sim-east 与备案一致");

    const vm = sim.vms().find((v) => /^(hxy|wgy)-/.test(v.name))!;
    const gib = (mib: number) => `${mib / 1024} GiB`;
    sim.setMemory(vm.name, vm.memoryMiB * 2);
    const drifted = await drift();
    expect(drifted.code, drifted.stderr).toBe(1);
    expect(drifted.stdout.trim().split("\n")).toEqual([`✗ ${vm.name}：内存 ${gib(vm.memoryMiB)} 已被改为 ${gib(vm.memoryMiB * 2)}`]);
  });
});
