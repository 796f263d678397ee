import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO, validateWith } from "../helpers/register";
import { CHANGE_KIND_NAMES, ROLE_NAMES } from "../../lib/names";

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

  it("the department guide starts with the desk, then the forge's web pages, then installation on Windows, macOS and Linux for the command line", () => {
    const guide = read("docs/guide.zh.md");
    const [, browser, commandLine] = guide.split(/^## /m);
    expect(browser).toMatch(/^零、用部门服务台提交（只需要浏览器）/);
    // The desk's own words, as its pages show them.
    for (const word of ["我的备案", "新建备案", "提交申请", "使用空闲地址", "敏感端口说明", "本次变更", "我提交的申请"]) expect(browser).toContain(word);
    for (const step of ["Add file", "Create new file", "Create a new branch for this commit and start a pull request", "Files changed", "还需签字"]) expect(browser).toContain(step);
    expect(browser).not.toMatch(/npm|node scripts/);
    expect(commandLine).toMatch(/^一、在自己电脑上用命令行/);
    for (const system of ["Windows", "macOS", "Linux"]) expect(commandLine).toContain(system);
    expect(commandLine).toContain("npm ci");
    expect(commandLine).toContain("node scripts/filing.js --version");
    // The chain is unordered (approvals.yaml ordered: false): the guide must not say otherwise.
    expect(guide).not.toContain("依次");
    expect(browser).toContain("不分先后");
  });

  it("the leaders' guide says who signs each kind of change exactly as policies/approvals.yaml requires", () => {
    const guide = read("docs/approving.zh.md");
    const required = (parse(read("policies/approvals.yaml")) as { required: Record<string, string[]> }).required;
    for (const [kind, roles] of Object.entries(required)) {
      if (kind === "protected") continue;
      const row = guide.split("\n").find((l) => l.startsWith(`| ${CHANGE_KIND_NAMES[kind as keyof typeof CHANGE_KIND_NAMES].zh} |`));
      expect(row, kind).toBeDefined();
      expect(row!.split("|")[2]!.trim().split("、"), kind).toEqual(roles.map((r) => ROLE_NAMES[r as keyof typeof ROLE_NAMES].zh));
    }
    // No file names or commands for the leaders.
    expect(guide).not.toMatch(/\.ya?ml|node scripts|CODEOWNERS/);
  });

  it("the guide's full example, saved under the name it gives, passes validate beside the sample register", () => {
    const guide = read("docs/guide.zh.md");
    const example = guide.split(/^## /m).find((s) => s.startsWith("四、完整示例"))!;
    const yaml = /```yaml\n([\s\S]*?)```/.exec(example)![1]!;
    const file = /# 部门代码-文件名（文件 (filings\/\S+\.yaml)）/.exec(yaml)![1]!;
    const result = validateWith({ [file]: yaml }, { change: { changed: new Set([file]), added: new Set([file]) } });
    expect(result.problems.filter((p) => p.file === file)).toEqual([]);
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
