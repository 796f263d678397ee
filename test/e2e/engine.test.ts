/**
 * `filing preview` / `filing up` under the real Pulumi CLI, without a provider plugin: the program and
 * the pack on physical servers, the pack's verdict, and what a machine without the CLI or a plugin
 * is told. The simulated vCenter's stages are in engine-vcenter.test.ts, engine-changes.test.ts
 * and engine-two-stacks.test.ts. Stages that need something this machine lacks say what and how to
 * get it, and are reported skipped, never passed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SIMULATED_PORT_GROUPS, SIMULATED_QUARANTINE, startSimulator } from "../../scripts/simulator";
import { REPO } from "../helpers/register";
import { cli, ENGINE_TIMEOUT, filing, NO_CLI, physicalOnly, removeTemps, temps, tools, workspace } from "./engine-helpers";

afterAll(removeTemps);

describe("filing preview / up without a provider", { timeout: ENGINE_TIMEOUT }, () => {
  it("without a Pulumi CLI: one line saying how to get it, exit 2", async () => {
    const w = workspace({ keep: physicalOnly });
    const r = await filing(["preview", "--stack", "campus-proxmox"], { ...w, env: { ...w.env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("bash scripts/toolchain.sh");
  });

  it("a vSphere stack without the vCenter's address, user or password: one line naming what is missing and where to set it, exit 2, before the engine starts", async () => {
    const w = workspace({ keep: physicalOnly });
    // As in a workflow whose production environment lacks the password secret: GitHub passes an empty string.
    const r = await filing(["preview", "--stack", "campus-vsphere"], { ...w, env: { ...w.env, VSPHERE_SERVER: "vcenter.example.edu.cn", VSPHERE_USER: "filings", VSPHERE_PASSWORD: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual(["连接 vCenter 还缺少：VSPHERE_PASSWORD（密码）。请在环境中设置（工作流中为 production 环境的同名 secret），或写入 stacks/Pulumi.campus-vsphere.yaml：pulumi config set vsphere:password <值>（密码加 --secret）。"]);
  });

  it("no passphrase, or an empty one (a secret the production environment lacks): one line, exit 2, and no stack made whose secrets an empty passphrase would guard", async () => {
    const w = workspace({ keep: physicalOnly });
    const { PULUMI_CONFIG_PASSPHRASE: _given, ...unset } = w.env;
    for (const env of [unset, { ...w.env, PULUMI_CONFIG_PASSPHRASE: "" }]) {
      const r = await filing(["preview", "--stack", "campus-proxmox"], { ...w, env });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("PULUMI_CONFIG_PASSPHRASE 为空或未设置：stacks/Pulumi.campus-proxmox.yaml 的机密");
    }
    expect(fs.readFileSync(path.join(w.root, "stacks/Pulumi.campus-proxmox.yaml"), "utf8")).not.toContain("encryptionsalt");
    expect(fs.readdirSync(path.join(w.root, ".state"))).toEqual([]);
  });

  it("on GitHub Actions without PULUMI_BACKEND_URL (a secret the production environment lacks): one line, exit 2, nothing in the runner's cache", async () => {
    const w = workspace({ keep: physicalOnly });
    const r = await filing(["preview", "--stack", "campus-proxmox"], { ...w, env: { ...w.env, PULUMI_BACKEND_URL: "", GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^PULUMI_BACKEND_URL 为空：在 GitHub Actions 上，默认的文件状态存储会随运行器一起消失/)]);
    expect(fs.existsSync(path.join(w.env.HOME!, ".cache/server-filings/state"))).toBe(false);
  });

  it.skipIf(!cli)(`the real CLI runs the program and the pack (no provider needed: physical servers only)${cli ? "" : ` — skipped: ${NO_CLI}`}`, async () => {
    const w = workspace({ keep: physicalOnly });
    const stacks = () => JSON.parse(spawnSync(path.join(cli!, "pulumi"), ["stack", "ls", "--json", "--cwd", w.root], { env: w.env, encoding: "utf8" }).stdout) as unknown[];
    const drift = () => filing(["drift", "--repo", "campus/filings", "--stack", "campus-proxmox", "--dry-run"], w);
    // Drift on a stack never deployed: a failed check, not drift, and no stack made on the way.
    const early = await drift();
    expect(early.code, early.stderr).toBe(2);
    expect(early.stderr.trim()).toBe("漂移检查没有完成（不是漂移）：状态存储中没有堆栈 campus-proxmox。它还没有部署过，或 PULUMI_BACKEND_URL 指向了别的状态存储。");
    expect(stacks()).toEqual([]);

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
    // Deployed, the same check is clean (physical servers only: no provider is asked).
    const clean = await drift();
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain("堆栈 campus-proxmox 与备案一致");
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
    const r = await filing(["preview", "--stack", "campus-vsphere"], { ...w, env: { ...w.env, VSPHERE_SERVER: "127.0.0.1:1", VSPHERE_USER: "user", VSPHERE_PASSWORD: "pass" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/缺少 Pulumi 资源插件 vsphere：在能联网的机器上运行 pulumi plugin install resource vsphere/);
  });

  it.skipIf(!tools.vcsim)(`the simulated vCenter starts on loopback with the example stack's inventory and an empty filings folder${tools.vcsim ? "" : " — skipped: it is not built: run bash scripts/toolchain.sh"}`, async () => {
    const sim = await startSimulator(tools.vcsim!);
    try {
      expect(sim.server).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(Object.keys(sim.networks).sort()).toEqual([...Object.values(SIMULATED_PORT_GROUPS), ...Object.values(SIMULATED_QUARANTINE)].sort());
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
