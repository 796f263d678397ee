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
});
