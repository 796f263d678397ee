import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../lib/config/parse";
import { REPO, edit, sampleConfig } from "../helpers/register";

function configWith(changes: Record<string, string | null>) {
  const files = new Map(sampleConfig.files);
  for (const [p, text] of Object.entries(changes)) {
    if (text === null) files.delete(p);
    else files.set(p, { path: p, bytes: Buffer.from(text, "utf8") });
  }
  return parseConfig({ files });
}

const read = (rel: string): string => fs.readFileSync(path.join(REPO, rel), "utf8");
const networks = read("policies/networks.yaml");
const letters = read("policies/letters.yaml");
const departments = read("policies/departments.yaml");
const limits = read("policies/limits.yaml");
const approvals = read("policies/approvals.yaml");

describe("institution config", () => {
  it("loads the repository's config", () => {
    const result = configWith({});
    expect(result.problems).toEqual([]);
    expect(result.loaded!.config.departments.length).toBeGreaterThanOrEqual(8);
  });

  it("names the school from policies/institution.yaml, and does without it: the file is optional", () => {
    expect(configWith({}).loaded!.config.institution).toEqual({ name: "示例大学", nameEn: "Example University", informationCenter: "网络与信息中心", reportsTo: "市公安局网络安全保卫支队" });
    const without = configWith({ "policies/institution.yaml": null });
    expect(without.problems).toEqual([]);
    expect(without.loaded!.config.institution).toBeUndefined();
  });

  it.each([
    ["a missing file", { "policies/limits.yaml": null }, "policies/limits.yaml", "config-missing", 1],
    ["a duplicate department", { "policies/departments.yaml": `${departments}  - slug: jwc\n    name: 重复\n    roles: { departmentHead: ["@a"], schoolLeader: ["@b"] }\n    quota: { cpu: 1, memoryGiB: 1, diskGiB: 1 }\n` }, "policies/departments.yaml", "config-duplicate-department", 81],
    ["a role holder that is not a GitHub login", { "policies/departments.yaml": edit(departments, '["@wang-jwc"]', '["wang jwc"]') }, "policies/departments.yaml", "schema-pattern", 9],
    ["log retention below 60 days", { "policies/limits.yaml": edit(limits, "minLogRetentionDays: 60", "minLogRetentionDays: 30") }, "policies/limits.yaml", "schema-range", 38],
    ["a period above 12 months", { "policies/limits.yaml": edit(limits, "maxPeriodMonths: 12", "maxPeriodMonths: 24") }, "policies/limits.yaml", "schema-range", 39],
    ["a pool outside its subnet", { "policies/networks.yaml": edit(networks, "{ from: 10.20.2.10, to: 10.20.2.250 }", "{ from: 10.30.2.10, to: 10.30.2.250 }") }, "policies/networks.yaml", "config-network", 10],
    ["a pool whose start is above its end", { "policies/networks.yaml": edit(networks, "{ from: 10.20.2.10, to: 10.20.2.250 }", "{ from: 10.20.2.250, to: 10.20.2.10 }") }, "policies/networks.yaml", "config-network", 10],
    ["a gateway inside the pool", { "policies/networks.yaml": edit(networks, "gateway: 10.20.0.1", "gateway: 10.20.1.20") }, "policies/networks.yaml", "config-network", 11],
    ["overlapping zones", { "policies/networks.yaml": networks.replace(/203\.0\.113\./g, "10.20.9.") }, "policies/networks.yaml", "config-network", 15],
    ["protected paths without the security role", { "policies/approvals.yaml": edit(approvals, "protected: [informationCenterHead, securityLeader]", "protected: [informationCenterHead]") }, "policies/approvals.yaml", "config-approvals", 16],
    ["a change kind that needs no one", { "policies/approvals.yaml": edit(approvals, "metadata: [departmentHead]", "metadata: []") }, "policies/approvals.yaml", "schema-range", 13],
    ["an unknown role", { "policies/approvals.yaml": edit(approvals, "delete: [informationCenterHead]", "delete: [janitor]") }, "policies/approvals.yaml", "schema-enum", 15],
    ["a current letter that is not accepted", { "policies/letters.yaml": edit(letters, 'accepted: ["2025-1", "2026-1"]', 'accepted: ["2025-1"]') }, "policies/letters.yaml", "config-letter", 4],
    ["a letter text of another version", { "policies/responsibility-letter.md": read("policies/responsibility-letter.md").replace("2026-1", "2027-1") }, "policies/letters.yaml", "config-letter", 4],
    ["a letter text without a version", { "policies/responsibility-letter.md": "# 责任书\n" }, "policies/responsibility-letter.md", "config-letter", 1],
    ["an institution file without the unit the report goes to", { "policies/institution.yaml": read("policies/institution.yaml").replace(/^reportsTo: .*\n/m, "") }, "policies/institution.yaml", "schema-required", 4],
  ] as const)("refuses %s, located", (_name, changes, file, rule, line) => {
    const result = configWith(changes);
    expect(result.loaded).toBeUndefined();
    const summary = result.problems.map((p) => `${p.file}:${p.line} ${p.rule}`);
    expect(summary).toContain(`${file}:${line} ${rule}`);
  });
});
