/** `filing doctor --repo`: the settings the trust boundary stands on, read through the API. */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { REPOSITORY_ONLY, useFakeGitHub, type Scenario } from "./fake-server";

const APP = 421337;
const GOOD: NonNullable<Scenario["settings"]> = {
  protection: { checks: [{ context: "filings/approval", app_id: APP }], enforceAdmins: true, codeOwnerReviews: true },
  environments: { approvals: { branches: ["main"], reviewers: false }, production: { branches: ["main"], reviewers: true } },
  workflow: { default_workflow_permissions: "read", can_approve_pull_request_reviews: false },
};

const github = useFakeGitHub();
async function doctor(settings: Scenario["settings"]) {
  const s = await github.start({ ...REPOSITORY_ONLY, settings });
  return runCli(["doctor", "--repo", "campus/filings", "--app-id", String(APP)], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });
}

describe("filing doctor", () => {
  it("passes when every setting is in place", async () => {
    const r = await doctor(GOOD);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("✗");
    expect(r.stdout).toContain("所有设置都已就绪");
  });

  const cases: [string, Scenario["settings"], string][] = [
    ["the approval check accepts any source (a PR's own workflow could set it)", { ...GOOD, protection: { ...GOOD.protection!, checks: [{ context: "filings/approval", app_id: null }] } }, "✗ 必需的检查 filings/approval 只接受 GitHub App 421337 设置的状态"],
    ["the approval check is not required", { ...GOOD, protection: { ...GOOD.protection!, checks: [] } }, "把 filings/approval 设为必需检查"],
    ["no branch protection", { ...GOOD, protection: undefined }, "✗ 分支 main 受保护"],
    ["administrators may bypass", { ...GOOD, protection: { ...GOOD.protection!, enforceAdmins: false } }, "✗ 管理员也受保护规则约束"],
    ["the App's key usable from any branch", { ...GOOD, environments: { ...GOOD.environments, approvals: { branches: "all", reviewers: false } } }, "✗ 环境 approvals（App 私钥）只允许 main 使用"],
    ["no approvals environment", { ...GOOD, environments: { production: GOOD.environments!.production! } }, "✗ 环境 approvals"],
    ["production deployable from a feature branch", { ...GOOD, environments: { ...GOOD.environments, production: { branches: ["main", "feature/*"], reviewers: true } } }, "✗ 环境 production（平台凭据）只允许 main 使用"],
    ["production without reviewers", { ...GOOD, environments: { ...GOOD.environments, production: { branches: "protected", reviewers: false } } }, "✗ 环境 production 需要审查人批准"],
    ["workflows write by default", { ...GOOD, workflow: { default_workflow_permissions: "write", can_approve_pull_request_reviews: false } }, "✗ 工作流的 GITHUB_TOKEN 默认只读"],
    ["workflows may approve", { ...GOOD, workflow: { default_workflow_permissions: "read", can_approve_pull_request_reviews: true } }, "✗ 工作流不能批准 PR"],
  ];
  it.each(cases)("names what is missing: %s", async (_name, settings, line) => {
    const r = await doctor(settings);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(line);
    expect(r.stdout.match(/✗/g)?.length).toBeGreaterThanOrEqual(1);
  });

  it("needs the App's id", async () => {
    const s = await github.start({ ...REPOSITORY_ONLY, settings: GOOD });
    const r = await runCli(["doctor", "--repo", "campus/filings"], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--app-id");
  });
});
