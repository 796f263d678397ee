/** `filing doctor --repo`: the settings the trust boundary stands on, read through the API. */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";
import { REPOSITORY_ONLY, useFakeGitHub, type Scenario } from "./fake-server";

const APP = 421337;
const REVERIFY_APP = 421338;
type Settings = NonNullable<Scenario["settings"]>;
const TAG_RULESET = { id: 7, target: "tag", include: ["refs/tags/filings-deployed"], rules: [{ type: "creation" }, { type: "deletion" }, { type: "update" }], bypass: [{ actor_type: "Integration", actor_id: REVERIFY_APP }] } as const;
const TAGGED = { tags: { "filings-deployed": "b".repeat(40) } };
const GOOD: Settings = {
  protection: {
    checks: [{ context: "filings/approval", app_id: APP }, { context: "Validate filings", app_id: 15368 }],
    strict: true, enforceAdmins: true, codeOwnerReviews: true, dismissStale: true, lastPush: true, forcePushes: false, deletions: false,
  },
  rulesets: [TAG_RULESET],
  environments: { approvals: { branches: ["main"], reviewers: false }, reverify: { branches: ["main"], reviewers: true, preventSelfReview: true }, production: { branches: ["main"], reviewers: true, preventSelfReview: true } },
  workflow: { default_workflow_permissions: "read", can_approve_pull_request_reviews: false },
};
const without = (name: string): Settings["environments"] => Object.fromEntries(Object.entries(GOOD.environments!).filter(([k]) => k !== name));
const protection = (change: Partial<NonNullable<Settings["protection"]>>): Settings => ({ ...GOOD, protection: { ...GOOD.protection!, ...change } });

/** The same branch settings as GOOD's classic rule, as one ruleset (a repository with rulesets only). */
const BRANCH_RULESET = {
  id: 3,
  target: "branch",
  include: ["~DEFAULT_BRANCH"],
  rules: [
    { type: "deletion" },
    { type: "non_fast_forward" },
    { type: "pull_request", parameters: { dismiss_stale_reviews_on_push: true, require_code_owner_review: true, require_last_push_approval: true, required_approving_review_count: 1, required_review_thread_resolution: false } },
    { type: "required_status_checks", parameters: { strict_required_status_checks_policy: true, required_status_checks: [{ context: "filings/approval", integration_id: APP }, { context: "Validate filings" }] } },
  ],
} as const;
const RULESETS_ONLY: Settings = { ...GOOD, protection: undefined, rulesets: [BRANCH_RULESET, TAG_RULESET] };

const github = useFakeGitHub();
async function doctor(settings: Scenario["settings"]) {
  const s = await github.start({ ...REPOSITORY_ONLY, ...TAGGED, settings });
  return runCli(["doctor", "--repo", "campus/filings", "--app-id", String(APP), "--reverify-app-id", String(REVERIFY_APP)], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });
}

describe("filing doctor", () => {
  it("passes when every setting is in place", async () => {
    const r = await doctor(GOOD);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain("✗");
    expect(r.stdout).toContain("所有设置都已就绪");
  });

  it("passes a repository guarded by rulesets alone (the classic protection endpoint answers 404)", async () => {
    const r = await doctor(RULESETS_ONLY);
    expect(r.stdout).not.toContain("✗");
    expect(r.code).toBe(0);
  });

  const cases: [string, Scenario["settings"], string][] = [
    ["the approval check accepts any source (a PR's own workflow could set it)", protection({ checks: [{ context: "filings/approval", app_id: null }, GOOD.protection!.checks[1]!] }), "✗ 必需的检查 filings/approval 只接受 GitHub App 421337 设置的状态"],
    ["the approval check is not required", protection({ checks: [GOOD.protection!.checks[1]!] }), "把 filings/approval 设为必需检查"],
    ["administrators may bypass", protection({ enforceAdmins: false }), "✗ 管理员也受保护规则约束"],
    ["stale approvals stay after a push", protection({ dismissStale: false }), "✗ 有新提交时撤销已有的批准"],
    ["the last push needs no other approver", protection({ lastPush: false }), "✗ 最后一次推送须由推送者以外的人批准"],
    ["branches need not be up to date", protection({ strict: false }), "✗ 合并前分支须与目标分支同步"],
    ["force pushes allowed", protection({ forcePushes: true }), "✗ 不允许强制推送到 main"],
    ["deletions allowed", protection({ deletions: true }), "✗ 不允许删除 main"],
    ["the filings' validation is not required", protection({ checks: [GOOD.protection!.checks[0]!] }), "✗ 必需的检查包括 Validate filings"],
    ["the deployed tag unprotected", { ...GOOD, rulesets: [] }, "✗ 标签 filings-deployed 受规则集保护"],
    ["the deployed tag's ruleset only evaluated", { ...GOOD, rulesets: [{ ...TAG_RULESET, enforcement: "evaluate" }] }, "✗ 标签 filings-deployed 受规则集保护"],
    ["the deployed tag may be moved", { ...GOOD, rulesets: [{ ...TAG_RULESET, rules: [{ type: "creation" }, { type: "deletion" }] }] }, "✗ 标签 filings-deployed 受规则集保护"],
    ["the deployed tag may be created by anyone (before it exists)", { ...GOOD, rulesets: [{ ...TAG_RULESET, rules: [{ type: "deletion" }, { type: "update" }] }] }, "✗ 标签 filings-deployed 受规则集保护（不能创建、移动或删除）"],
    ["a ruleset-only branch that someone may bypass", { ...RULESETS_ONLY, rulesets: [{ ...BRANCH_RULESET, bypass: [{ actor_type: "RepositoryRole", actor_id: 5 }] }, TAG_RULESET] }, "✗ 管理员也受保护规则约束，无人可绕过"],
    ["the deployed tag movable by the Write role", { ...GOOD, rulesets: [{ ...TAG_RULESET, bypass: [{ actor_type: "RepositoryRole", actor_id: 4 }] }] }, "✗ 标签 filings-deployed 受规则集保护"],
    ["the deployed tag movable by every workflow (GitHub Actions)", { ...GOOD, rulesets: [{ ...TAG_RULESET, bypass: [{ actor_type: "Integration", actor_id: 15368 }] }] }, "✗ 标签 filings-deployed 受规则集保护"],
    ["the App's key usable from a tag called main", { ...GOOD, environments: { ...GOOD.environments, approvals: { branches: ["main"], tags: ["main"], reviewers: false } } }, "✗ 环境 approvals（审批 App 私钥）只允许 main 使用"],
    ["production approvable by whoever started the deploy", { ...GOOD, environments: { ...GOOD.environments, production: { branches: ["main"], reviewers: true, preventSelfReview: false } } }, "✗ 环境 production 需要他人批准"],
    ["the re-check approvable by whoever started it", { ...GOOD, environments: { ...GOOD.environments, reverify: { branches: ["main"], reviewers: true, preventSelfReview: false } } }, "✗ 环境 reverify（复核 App 私钥）"],
    ["the App's key also a repository secret", { ...GOOD, secrets: { repository: ["FILINGS_APP_PRIVATE_KEY", "SOMETHING_ELSE"] } }, "✗ 环境专用的 secret 只设在各自的环境中"],
    ["the vCenter password an organization secret", { ...GOOD, secrets: { organization: ["VSPHERE_PASSWORD"] } }, "删除 VSPHERE_PASSWORD（organization）"],
    ["the App's key copied into an environment open to every branch", { ...GOOD, environments: { ...GOOD.environments, staging: { branches: "all", reviewers: false } }, secrets: { environments: { approvals: ["FILINGS_APP_PRIVATE_KEY"], staging: ["FILINGS_APP_PRIVATE_KEY"] } } }, "删除 FILINGS_APP_PRIVATE_KEY（staging）"],
    ["a ruleset-only branch whose approval check takes any source", { ...RULESETS_ONLY, rulesets: [{ ...BRANCH_RULESET, rules: BRANCH_RULESET.rules.map((r) => (r.type === "required_status_checks" ? { ...r, parameters: { ...r.parameters, required_status_checks: [{ context: "filings/approval" }, { context: "Validate filings" }] } } : r)) }, TAG_RULESET] }, "✗ 必需的检查 filings/approval 只接受 GitHub App 421337 设置的状态"],
    ["the App's key usable from any branch", { ...GOOD, environments: { ...GOOD.environments, approvals: { branches: "all", reviewers: false } } }, "✗ 环境 approvals（审批 App 私钥）只允许 main 使用"],
    ["the App's key usable from any protected branch", { ...GOOD, environments: { ...GOOD.environments, approvals: { branches: "protected", reviewers: false } } }, "✗ 环境 approvals（审批 App 私钥）只允许 main 使用"],
    ["no approvals environment", { ...GOOD, environments: without("approvals") }, "✗ 环境 approvals"],
    ["no reverify environment", { ...GOOD, environments: without("reverify") }, "✗ 环境 reverify（复核 App 私钥）"],
    ["the re-check's key without a reviewer", { ...GOOD, environments: { ...GOOD.environments, reverify: { branches: ["main"], reviewers: false } } }, "✗ 环境 reverify（复核 App 私钥）只允许 main 使用，且需要他人批准"],
    ["production deployable from a feature branch", { ...GOOD, environments: { ...GOOD.environments, production: { branches: ["main", "feature/*"], reviewers: true, preventSelfReview: true } } }, "✗ 环境 production（平台凭据）只允许 main 使用"],
    ["production without reviewers", { ...GOOD, environments: { ...GOOD.environments, production: { branches: ["main"], reviewers: false } } }, "✗ 环境 production 需要他人批准"],
    ["workflows write by default", { ...GOOD, workflow: { default_workflow_permissions: "write", can_approve_pull_request_reviews: false } }, "✗ 工作流的 GITHUB_TOKEN 默认只读"],
    ["workflows may approve", { ...GOOD, workflow: { default_workflow_permissions: "read", can_approve_pull_request_reviews: true } }, "✗ 工作流不能批准 PR"],
  ];
  it("names every branch setting when the branch is not protected at all", async () => {
    const r = await doctor({ ...GOOD, protection: undefined });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ 分支 main 受保护");
    expect(r.stdout.match(/✗/g)?.length).toBe(10);
  });

  it.each(cases)("names what is missing: %s", async (_name, settings, line) => {
    const r = await doctor(settings);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(line);
    // Each case breaks one setting: exactly that one is named.
    expect(r.stdout.match(/✗/g)?.length, r.stdout).toBe(1);
  });

  it("names a missing deployed tag: whoever creates it first would supply the re-check", async () => {
    const s = await github.start({ ...REPOSITORY_ONLY, settings: GOOD });
    const r = await runCli(["doctor", "--repo", "campus/filings", "--app-id", String(APP), "--reverify-app-id", String(REVERIFY_APP)], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ 标签 filings-deployed 已设在经过审阅的提交上");
  });

  it("refuses one App for both keys", async () => {
    const s = await github.start({ ...REPOSITORY_ONLY, ...TAGGED, settings: { ...GOOD, rulesets: [{ ...TAG_RULESET, bypass: [{ actor_type: "Integration", actor_id: APP }] }] } });
    const r = await runCli(["doctor", "--repo", "campus/filings", "--app-id", String(APP), "--reverify-app-id", String(APP)], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ 审批 App 与复核 App 是两个不同的 App");
  });

  it("names a default branch other than the one checked", async () => {
    const s = await github.start({ ...REPOSITORY_ONLY, ...TAGGED, defaultBranch: "master", settings: GOOD });
    const r = await runCli(["doctor", "--repo", "campus/filings", "--app-id", String(APP), "--reverify-app-id", String(REVERIFY_APP)], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ 仓库的默认分支是 main\n    GitHub 上的默认分支是 master：用 --branch master 检查");
  });

  it("needs the App's id", async () => {
    const s = await github.start({ ...REPOSITORY_ONLY, settings: GOOD });
    const r = await runCli(["doctor", "--repo", "campus/filings"], { env: { GITHUB_TOKEN: "t", GITHUB_API_URL: s.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--app-id");
  });
});
