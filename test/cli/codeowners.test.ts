import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { edit, tempRoot } from "../helpers/register";

const filing = (args: string[]) => runCli(args);

const root = tempRoot();
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("filing codeowners", () => {
  it("--check passes on the repository", async () => {
    const r = await filing(["codeowners", "--check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(".github/CODEOWNERS 与 policies/ 一致");
  });

  it("owns each department folder by its two department roles plus the information center, and the rest by the information center and security", async () => {
    expect((await filing(["codeowners", "--root", root])).code).toBe(0);
    const lines = fs.readFileSync(path.join(root, ".github/CODEOWNERS"), "utf8").split("\n");
    expect(lines).toContain("/filings/jwc/ @wang-jwc @li-vp-teaching @campus/info-center-heads");
    expect(lines).toContain("/policies/ @campus/info-center-heads @zhou-vp-security");
    expect(lines).toContain("/.github/ @campus/info-center-heads @zhou-vp-security");
    // The catch-all comes first: in CODEOWNERS the last matching line wins.
    expect(lines.findIndex((l) => l.startsWith("* "))).toBeLessThan(lines.findIndex((l) => l.startsWith("/filings/")));
  });

  it("--check fails on drift after a role holder changes, and passes again once regenerated", async () => {
    const file = path.join(root, "policies/departments.yaml");
    fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8"), '["@wang-jwc"]', '["@wang-jwc", "@gao-jwc"]'));
    const drift = await filing(["codeowners", "--root", root, "--check"]);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain("与 policies/ 中的审批配置不一致。请运行 node scripts/filing.js codeowners");
    expect((await filing(["codeowners", "--root", root])).code).toBe(0);
    expect((await filing(["codeowners", "--root", root, "--check"])).code).toBe(0);
  });
});
