import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBin } from "../helpers/cli";
import { REPO } from "../helpers/register";

const { version } = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string };

// A checkout before `npm ci`: the bin, what it requires before its dependencies, and package.json; no
// node_modules anywhere above it.
const bare = fs.mkdtempSync(path.join(os.tmpdir(), "filing-bare-"));
fs.mkdirSync(path.join(bare, "scripts"));
for (const file of ["scripts/filing.js", "scripts/defer-closure-deps.js"]) fs.copyFileSync(path.join(REPO, file), path.join(bare, file));
fs.copyFileSync(path.join(REPO, "package.json"), path.join(bare, "package.json"));
afterAll(() => fs.rmSync(bare, { recursive: true, force: true }));

function bareBin(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(bare, "scripts/filing.js"), ...args], { cwd: bare, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the filing bin", () => {
  it("prints the package version with --version and -v", () => {
    for (const flag of ["--version", "-v"]) {
      const r = runBin([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it("before npm ci: one line that says to run npm ci, exit 2, no stack trace", () => {
    const r = bareBin(["validate"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("npm ci");
    expect(r.stderr).toContain("缺少依赖 tsx/cjs");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("says the same in English with --lang en", () => {
    const r = bareBin(["validate", "--lang", "en"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^filing: cannot start: the dependency tsx\/cjs is not installed\. Run npm ci/);
  });

  it("run from the sources (no bundle built yet), every command that starts the engine loads the program: it gets as far as looking for the Pulumi CLI", () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), "filing-src-"));
    try {
      for (const dir of ["lib", "scripts", "stacks", "policies", "filings"]) {
        fs.cpSync(path.join(REPO, dir), path.join(src, dir), { recursive: true, filter: (f) => !f.endsWith(".bundle.cjs") && !f.includes("bundle.cjs.") });
      }
      for (const file of ["package.json", "tsconfig.json", "Pulumi.yaml"]) fs.copyFileSync(path.join(REPO, file), path.join(src, file));
      fs.symlinkSync(path.join(REPO, "node_modules"), path.join(src, "node_modules"));
      const env = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: src, PULUMI_CONFIG_PASSPHRASE: "x", PULUMI_BACKEND_URL: `file://${src}`, VSPHERE_SERVER: "127.0.0.1:1", VSPHERE_USER: "u", VSPHERE_PASSWORD: "p" };
      for (const args of [["preview"], ["up"], ["drift", "--repo", "campus/filings", "--dry-run"]]) {
        const r = spawnSync(process.execPath, [path.join(src, "scripts/filing.js"), ...args, "--stack", "campus-vsphere"], { cwd: src, env, encoding: "utf8" });
        expect({ code: r.status, last: r.stderr.trim().split("\n").at(-1) }, `${args[0]}: ${r.stderr}`).toEqual({ code: 2, last: expect.stringMatching(/^PATH 中找不到 Pulumi CLI（pulumi）/) });
      }
    } finally {
      fs.rmSync(src, { recursive: true, force: true });
    }
  });
});
