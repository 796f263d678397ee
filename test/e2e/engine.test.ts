/**
 * `filing preview` / `filing up` under the real Pulumi CLI (built by scripts/toolchain.sh from the Go
 * module proxy). Stages that need something this machine lacks say what and how to get it, and are
 * reported skipped, never passed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "../helpers/register";

const CLI_DIR = path.join(process.env.FILINGS_TOOLCHAIN ?? path.join(os.homedir(), ".cache/server-filings/toolchain"), "pulumi-3.274.1/bin");
/** The toolchain's CLI, else a `pulumi` on PATH (a connected machine's own installation). */
const cli = fs.existsSync(path.join(CLI_DIR, "pulumi"))
  ? CLI_DIR
  : ((p) => (p.status === 0 ? path.dirname(p.stdout.trim()) : undefined))(spawnSync("sh", ["-c", "command -v pulumi"], { encoding: "utf8" }));
const NO_CLI = "the Pulumi CLI is not built: run bash scripts/toolchain.sh";

const temps: string[] = [];
afterAll(() => temps.forEach((t) => fs.rmSync(t, { recursive: true, force: true })));

/**
 * A register root the engine can run from: Pulumi.yaml, the code and node_modules linked, the
 * register, the stack files and the pack copied (the pack judges the register it sits beside, and
 * Pulumi writes into the stack file), and a state store and Pulumi home of its own.
 */
function workspace(keep: (file: string, text: string) => boolean = () => true, packFrom?: string): { root: string; env: Record<string, string> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "filings-engine-"));
  temps.push(root);
  for (const link of ["lib", "node_modules", "package.json", "tsconfig.json", "Pulumi.yaml"]) fs.symlinkSync(path.join(REPO, link), path.join(root, link));
  // Copied, not linked: Pulumi writes the passphrase's salt into the stack file on first use.
  fs.cpSync(path.join(REPO, "stacks"), path.join(root, "stacks"), { recursive: true });
  if (packFrom) fs.symlinkSync(path.join(packFrom, "policies"), path.join(root, "policies"));
  else fs.cpSync(path.join(REPO, "policies"), path.join(root, "policies"), { recursive: true });
  fs.cpSync(path.join(REPO, "filings"), path.join(root, "filings"), { recursive: true });
  for (const dept of fs.readdirSync(path.join(root, "filings"), { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of fs.readdirSync(path.join(root, "filings", dept.name))) {
      const file = path.join(root, "filings", dept.name, f);
      if (!keep(file, fs.readFileSync(file, "utf8"))) fs.rmSync(file);
    }
  }
  fs.mkdirSync(path.join(root, ".state"));
  const env = {
    PATH: `${cli ?? "/nonexistent"}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: root,
    PULUMI_HOME: path.join(root, ".pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(root, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e",
    // Nothing leaves this machine: no update check, no plugin download.
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  return { root, env };
}

function filing(args: string[], w: { root: string; env: Record<string, string> }) {
  const r = spawnSync(process.execPath, [path.join(REPO, "scripts/filing.js"), ...args, "--root", w.root], { cwd: w.root, env: w.env, encoding: "utf8", timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const physicalOnly = (_file: string, text: string) => /^type: physical$/m.test(text);

describe("filing preview / up", () => {
  it("without a Pulumi CLI: one line saying how to get it, exit 2", () => {
    const w = workspace(physicalOnly);
    const r = filing(["preview", "--stack", "campus-proxmox"], { ...w, env: { ...w.env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("bash scripts/toolchain.sh");
  });

  it.skipIf(!cli)(`the real CLI runs the program and the pack (no provider needed: physical servers only) — skipped when ${NO_CLI}`, () => {
    const w = workspace(physicalOnly);
    const preview = filing(["preview", "--stack", "campus-proxmox"], w);
    expect(preview.stderr).not.toMatch(/error/i);
    expect(preview.code).toBe(0);
    // The pack ran under the real engine, served by the launcher (no Node.js language host here).
    expect(preview.stderr).toMatch(/Policies:\n\s+✅ server-filings@v0\.1\.0 \(local: .*pulumi-analyzer-policy-filings\)/);
    expect(preview.stdout).toMatch(/^预览完成/m);
    const up = filing(["up", "--stack", "campus-proxmox"], w);
    expect(up.code, up.stderr).toBe(0);
    // The stack's outputs list the physical servers, which have no VM.
    const outputs = spawnSync(path.join(cli!, "pulumi"), ["stack", "output", "servers", "--json", "--stack", "campus-proxmox", "--cwd", w.root], { env: w.env, encoding: "utf8" });
    expect(outputs.status, outputs.stderr).toBe(0);
    const servers = JSON.parse(outputs.stdout);
    expect(Object.values(servers).every((s: any) => s.state === "physical")).toBe(true);
  });

  it.skipIf(!cli)(`the pack blocks a violation under the real CLI, with the policy's message — skipped when ${NO_CLI}`, () => {
    // The pack judges the full sample register (its own root) while the program, given only the
    // physical servers, creates no VM: every active virtual filing lacks its VM in this stack.
    const full = workspace();
    const w = workspace(physicalOnly, full.root);
    const r = filing(["preview", "--stack", "campus-proxmox"], w);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/❌ server-filings@v0\.1\.0/);
    expect(r.stderr).toContain("[mandatory]  stack-every-filing-provisioned");
    expect(r.stderr).toContain("jwc-exam-scheduling：已批准的虚拟服务器备案在本栈中没有对应的虚拟机：备案 1 台，实际 0 台。");
  });

  it.skipIf(!cli)(`a stack that needs a provider this machine does not have says which and how to install it — skipped when ${NO_CLI}`, () => {
    const w = workspace();
    const r = filing(["preview", "--stack", "campus-vsphere"], w);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/缺少 Pulumi 资源插件 vsphere：在能联网的机器上运行 pulumi plugin install resource vsphere/);
  });

  it("never wrote into the repository's own files (Pulumi writes the salt into a stack file it uses)", () => {
    for (const stack of ["campus-vsphere", "campus-proxmox"]) {
      expect(fs.readFileSync(path.join(REPO, `stacks/Pulumi.${stack}.yaml`), "utf8")).not.toContain("encryptionsalt");
    }
  });
});
