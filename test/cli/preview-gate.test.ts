import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const URN = (type: string, name: string) => `urn:pulumi:campus-vsphere::server-filings::server-filings:index:FilingServer$${type}::${name}`;
const VM = "vsphere:index/virtualMachine:VirtualMachine";

async function gate(steps: { op: string; urn: string }[]) {
  const file = path.join(dir, `p${Math.random()}.json`);
  fs.writeFileSync(file, JSON.stringify({ steps, changeSummary: {} }));
  return runCli(["preview-gate", file], { cwd: dir });
}

describe("filing preview-gate", () => {
  it("passes creates, updates and the deletion of other resources", async () => {
    const r = await gate([
      { op: "create", urn: URN(VM, "jwc-new") },
      { op: "update", urn: URN(VM, "jwc-exam-scheduling") },
      { op: "delete", urn: URN("proxmoxve:firewall/rulesLegacy:RulesLegacy", "jwc-x-ports") },
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("预览中没有删除或替换虚拟机的步骤");
  });

  it.each(["delete", "replace", "create-replacement", "delete-replaced"])("fails on a VM %s, naming the step", async (op) => {
    const r = await gate([{ op, urn: URN(VM, "jwc-exam-scheduling") }]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`::error title=destructive change (${op})::虚拟机 jwc-exam-scheduling 将被`);
  });

  it("exits 2 on a file that is not a preview", async () => {
    const file = path.join(dir, "bad.json");
    fs.writeFileSync(file, "not json");
    expect((await runCli(["preview-gate", file], { cwd: dir })).code).toBe(2);
  });
});
