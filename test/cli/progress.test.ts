import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateRegister } from "../../bench/generate-register";
import { runBin } from "../helpers/cli";
import { REPO, TODAY } from "../helpers/register";
import { Terminal } from "../helpers/terminal";

/** `filing policy` takes seconds: on a terminal it says what it is doing, and nowhere else. */
describe("progress on slow commands", () => {
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const t = new Terminal(["policy", "--today", TODAY, ...args], REPO, env);
    const code = await t.exited;
    return { code, screen: t.screen };
  };

  it("shows each step on a terminal, in the chosen language", async () => {
    const zh = await run([]);
    expect(zh.code).toBe(0);
    expect(zh.screen).toContain("正在运行程序并检查策略：堆栈 campus-vsphere");
    const en = await run(["--lang", "en"]);
    expect(en.screen).toContain("Running the program and the policies: stack campus-vsphere");
    expect(en.screen).not.toContain("正在");
  });

  it("is silent in CI and with --format json", async () => {
    expect((await run([], { CI: "true" })).screen).not.toContain("正在");
    const json = await run(["--format", "json"]);
    expect(json.screen).not.toContain("正在");
    expect(json.screen).toContain('"ok": true');
  });

  it("is silent when stderr is not a terminal", () => {
    const r = runBin(["policy", "--today", TODAY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });
});

describe("progress on a large register", () => {
  it("filing validate says what it checks when the register is large, on a terminal only", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "progress-large-"));
    try {
      generateRegister(1000, dir);
      const t = new Terminal(["validate", "--root", dir, "--today", TODAY], dir);
      expect(await t.exited).toBe(0);
      expect(t.screen).toContain("正在检查 1000 份备案");
      const small = new Terminal(["validate", "--today", TODAY], REPO);
      expect(await small.exited).toBe(0);
      expect(small.screen).not.toContain("正在检查");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
