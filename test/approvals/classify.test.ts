import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { classifyChanges } from "../../lib/approvals/classify";
import { REPO, edit } from "../helpers/register";

const P = "filings/jwc/course-selection.yaml"; // external, 443/tcp, two disks
const base = fs.readFileSync(path.join(REPO, P), "utf8");
const file = (text: string) => ({ path: P, bytes: Buffer.from(text, "utf8") });

function classify(head: string | undefined) {
  const result = classifyChanges([P], [{ path: P, base: file(base), head: head === undefined ? undefined : file(head) }]);
  return result.filings[0]!;
}

describe("change kinds", () => {
  it.each([
    ["a new port", (t: string) => edit(t, "ports: [ 443/tcp ]", "ports: [ 443/tcp, 80/tcp ]"), ["increase"]],
    ["a bigger second disk", (t: string) => edit(t, "- sizeGiB: 500", "- sizeGiB: 600"), ["increase"]],
    ["another address", (t: string) => edit(t, "ip: 203.0.113.10", "ip: 203.0.113.20"), ["increase"]],
    ["moving inside the campus", (t: string) => edit(edit(t, "zone: external", "zone: internal"), "ports: [ 443/tcp ]", "ports: []"), ["decrease"]],
    ["less memory", (t: string) => edit(t, "memoryGiB: 16", "memoryGiB: 8"), ["decrease"]],
    ["a new period", (t: string) => edit(t, "months: 12", "months: 6"), ["renewal"]],
    ["another administrator phone", (t: string) => t.replace(/phone: "\d+"/, 'phone: "13900000000"'), ["metadata"]],
    ["more CPU with a renewal", (t: string) => edit(edit(t, "cpu: 8", "cpu: 12"), "months: 12", "months: 6"), ["increase", "renewal"]],
    ["a comment only", (t: string) => `${t}# reviewed\n`, ["metadata"]],
  ])("%s", (_name, change, kinds) => {
    const c = classify(change(base));
    expect(c.kinds).toEqual(kinds);
    expect(c.refusals).toEqual([]);
  });

  it("lists the changed fields", () => {
    expect(classify(edit(base, "cpu: 8", "cpu: 12")).fields).toEqual(["resources.cpu"]);
  });

  it("refuses a removed disk and a head that is not a valid filing", () => {
    const removed = classify(base.replace(/\n\s+- sizeGiB: 500/, ""));
    expect(removed.refusals.map((r) => r.zh).join()).toContain("第 2 块硬盘（500 GiB）被删除");
    const broken = classify("id: [");
    expect(broken.refusals.map((r) => r.zh).join()).toContain("文件不是有效的备案");
  });

  it("treats everything outside department filings as protected", () => {
    const r = classifyChanges(["filings/filing.schema.json", "lib/rules/ports.ts", "CODEOWNERS", P], [{ path: P, base: file(base), head: file(`${base}#\n`) }]);
    expect(r.protectedPaths).toEqual(["CODEOWNERS", "filings/filing.schema.json", "lib/rules/ports.ts"]);
    expect(r.filings.map((f) => f.id)).toEqual(["jwc-course-selection"]);
  });
});
