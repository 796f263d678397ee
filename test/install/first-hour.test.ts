import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO } from "../helpers/register";

/** What a newcomer reads and runs first: the README's commands, the guide's installation, CI's install. */
const read = (rel: string) => fs.readFileSync(path.join(REPO, rel), "utf8");

describe("the first hour", () => {
  it("the README starts with the install-and-run command and the test command", () => {
    const block = /```sh\n([\s\S]*?)```/.exec(read("README.md"))![1]!.trim().split("\n");
    expect(block[0]).toMatch(/^npm ci && npm run demo\b/);
    expect(block[1]).toMatch(/^npm test\b/);
    // Both are package scripts; test/e2e/demo.test.ts runs the first as a newcomer would.
    const scripts = JSON.parse(read("package.json")).scripts;
    expect(scripts.demo).toBe("node scripts/bundle.js && tsx scripts/demo.ts");
    expect(scripts.test).toBeDefined();
  });

  it("the department guide starts with installation on Windows, macOS and Linux, then npm ci", () => {
    const guide = read("docs/guide.zh.md");
    const first = guide.split(/^## /m)[1]!;
    expect(first).toMatch(/^零、安装/);
    for (const system of ["Windows", "macOS", "Linux"]) expect(first).toContain(system);
    expect(first).toContain("npm ci");
    expect(first).toContain("node scripts/filing.js --version");
  });

  it("CI installs exactly as the README says, with no fallback that would hide a broken lockfile", () => {
    const run = read(".ci/run");
    expect(run).toMatch(/^npm ci\b/m);
    expect(run).not.toMatch(/npm install/);
  });

  it("the workflows run on the current Node LTS and install with npm ci", () => {
    const dir = path.join(REPO, ".github/workflows");
    for (const file of fs.readdirSync(dir)) {
      const doc = parse(fs.readFileSync(path.join(dir, file), "utf8")) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown>; run?: string }[] }> };
      for (const job of Object.values(doc.jobs)) {
        for (const step of job.steps ?? []) {
          if (step.uses?.startsWith("actions/setup-node@")) expect(step.with?.["node-version"], file).toBe("lts/*");
          if (step.run) expect(step.run, file).not.toMatch(/npm install\b/);
        }
      }
    }
  });
});
