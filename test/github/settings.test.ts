/**
 * `filing doctor`'s judgement of the repository settings the gate stands on, in-process: a
 * repository set up as docs/approvals.md says passes every line, and each row changes one setting and
 * names the lines that must then fail, with the fix the information center reads. The same settings
 * reached through GitHub's API are in doctor.test.ts.
 */
import { describe, expect, it } from "vitest";
import { judgeSettings, misplacedSecrets, type ClassicProtection, type EnvironmentSettings, type RepositorySettings, type Ruleset, type RulesetRule } from "../../lib/github/settings";

const APP = 101;
const REVERIFY_APP = 202;
const EXPECTED = { branch: "main", appId: APP, reverifyAppId: REVERIFY_APP };

const mainOnly: EnvironmentSettings["branches"] = [{ name: "main", type: "branch" }];
const reviewed: EnvironmentSettings = { branches: mainOnly, requiredReviewers: true, preventSelfReview: true };

const PROTECTION: ClassicProtection = {
  checks: [{ context: "filings/approval", appId: APP }, { context: "Validate filings", appId: null }],
  strict: true,
  enforceAdmins: true,
  codeOwnerReviews: true,
  dismissStaleReviews: true,
  requireLastPushApproval: true,
  allowForcePushes: false,
  allowDeletions: false,
};

const TAG_RULESET: Ruleset = {
  id: 9,
  target: "tag",
  enforcement: "active",
  include: ["refs/tags/filings-deployed"],
  exclude: [],
  rules: [{ type: "creation" }, { type: "update" }, { type: "deletion" }],
  bypass: [{ type: "Integration", id: REVERIFY_APP }],
};

/** Set up with classic branch protection, as docs/approvals.md describes. */
const CLASSIC: RepositorySettings = {
  defaultBranch: "main",
  deployedTagExists: true,
  exposedSecrets: [],
  protection: PROTECTION,
  branchRules: [],
  rulesets: [TAG_RULESET],
  environments: { approvals: { branches: mainOnly, requiredReviewers: false, preventSelfReview: false }, reverify: reviewed, production: reviewed },
  workflowPermissions: { defaultPermissions: "read", canApprovePullRequestReviews: false },
};

const BRANCH_RULES: readonly RulesetRule[] = [
  {
    type: "required_status_checks",
    parameters: { strict_required_status_checks_policy: true, required_status_checks: [{ context: "filings/approval", integration_id: APP }, { context: "Validate filings" }] },
  },
  { type: "pull_request", parameters: { require_code_owner_review: true, dismiss_stale_reviews_on_push: true, require_last_push_approval: true } },
  { type: "non_fast_forward" },
  { type: "deletion" },
];
const BRANCH_RULESET: Ruleset = { id: 5, target: "branch", enforcement: "active", include: ["~DEFAULT_BRANCH"], exclude: [], rules: BRANCH_RULES, bypass: [] };

/** Set up with a branch ruleset only, no classic protection. */
function rulesetsOnly(rules: readonly RulesetRule[] = BRANCH_RULES, ruleset: Partial<Ruleset> = {}): RepositorySettings {
  return { ...CLASSIC, protection: undefined, branchRules: rules.map((r) => ({ ...r, rulesetId: 5 })), rulesets: [{ ...BRANCH_RULESET, rules, ...ruleset }, TAG_RULESET] };
}

const failing = (s: RepositorySettings, expected = EXPECTED) => judgeSettings(s, expected).filter((f) => !f.ok).map((f) => f.what.en);
const withProtection = (p: Partial<ClassicProtection>): RepositorySettings => ({ ...CLASSIC, protection: { ...PROTECTION, ...p } });
const withTag = (t: Partial<Ruleset>): RepositorySettings => ({ ...CLASSIC, rulesets: [{ ...TAG_RULESET, ...t }] });
const withEnv = (name: string, e: EnvironmentSettings | undefined): RepositorySettings => ({ ...CLASSIC, environments: { ...CLASSIC.environments, [name]: e } });

const L = {
  defaultBranch: "the repository's default branch is main",
  twoApps: "the approvals App and the re-check App are two different Apps",
  tagExists: "the tag filings-deployed is set on a reviewed commit",
  secrets: "environment-only secrets are set in their own environment only (not the repository, organization or another environment)",
  protected: "branch main is protected (a protection rule or a ruleset)",
  approval: `the required check filings/approval accepts only statuses set by GitHub App ${APP}`,
  validate: "the required checks include Validate filings",
  upToDate: "branches must be up to date before merging",
  noBypass: "the rules apply to administrators too, and nobody may bypass them",
  codeOwners: "code owner reviews are required",
  dismiss: "approvals are dismissed when new commits are pushed",
  lastPush: "the most recent push must be approved by someone other than its pusher",
  forcePush: "force pushes to main are blocked",
  deletion: "main cannot be deleted",
  tag: "the tag filings-deployed is protected by a ruleset (cannot be created, moved or deleted)",
  approvalsEnv: "environment approvals (the approvals App's key) is usable from main only",
  reverifyEnv: "environment reverify (the re-check App's key) is usable from main only and requires another person's approval",
  productionEnv: "environment production (the platform's credentials) is usable from main only",
  productionReview: "environment production requires another person's approval (no self-review)",
  readOnly: "workflows' GITHUB_TOKEN is read-only by default",
  noApprove: "workflows cannot approve pull requests",
};
const BRANCH_LINES = [L.approval, L.validate, L.upToDate, L.noBypass, L.codeOwners, L.dismiss, L.lastPush, L.forcePush, L.deletion];

describe("judgeSettings", () => {
  it("a repository set up as documented passes every line, classic protection or a branch ruleset, and a passing line carries no fix", () => {
    for (const s of [CLASSIC, rulesetsOnly()]) {
      const findings = judgeSettings(s, EXPECTED);
      expect(findings.map((f) => f.what.en)).toEqual(Object.values(L));
      for (const f of findings) expect(f).toEqual({ ok: true, what: f.what });
    }
    expect(judgeSettings(CLASSIC, EXPECTED).map((f) => f.what.zh)).toEqual([
      "仓库的默认分支是 main",
      "审批 App 与复核 App 是两个不同的 App",
      "标签 filings-deployed 已设在经过审阅的提交上",
      "环境专用的 secret 只设在各自的环境中（不在仓库、组织或其他环境）",
      "分支 main 受保护（保护规则或规则集）",
      `必需的检查 filings/approval 只接受 GitHub App ${APP} 设置的状态`,
      "必需的检查包括 Validate filings（备案校验）",
      "合并前分支须与目标分支同步（检查在最新的基础上通过）",
      "管理员也受保护规则约束，无人可绕过",
      "需要 CODEOWNERS 审查",
      "有新提交时撤销已有的批准",
      "最后一次推送须由推送者以外的人批准",
      "不允许强制推送到 main",
      "不允许删除 main",
      "标签 filings-deployed 受规则集保护（不能创建、移动或删除）",
      "环境 approvals（审批 App 私钥）只允许 main 使用",
      "环境 reverify（复核 App 私钥）只允许 main 使用，且需要他人批准",
      "环境 production（平台凭据）只允许 main 使用",
      "环境 production 需要他人批准（不能批准自己触发的部署）",
      "工作流的 GITHUB_TOKEN 默认只读",
      "工作流不能批准 PR",
    ]);
  });

  it.each<[string, RepositorySettings, string[], (typeof EXPECTED)?]>([
    ["another default branch", { ...CLASSIC, defaultBranch: "master" }, [L.defaultBranch]],
    ["one App for approvals and the re-check", withTag({ bypass: [{ type: "Integration", id: APP }] }), [L.twoApps], { ...EXPECTED, reverifyAppId: APP }],
    ["no deployed tag yet", { ...CLASSIC, deployedTagExists: false }, [L.tagExists]],
    ["a secret outside its environment", { ...CLASSIC, exposedSecrets: ["VSPHERE_PASSWORD（repository）"] }, [L.secrets]],
    ["no protection and no branch ruleset", { ...CLASSIC, protection: undefined }, [L.protected, ...BRANCH_LINES]],
    ["filings/approval from any source", withProtection({ checks: [{ context: "filings/approval", appId: null }, { context: "Validate filings", appId: null }] }), [L.approval]],
    ["filings/approval from another App", withProtection({ checks: [{ context: "filings/approval", appId: 7 }, { context: "Validate filings", appId: null }] }), [L.approval]],
    ["filings/approval not required", withProtection({ checks: [{ context: "Validate filings", appId: null }] }), [L.approval]],
    ["Validate filings not required", withProtection({ checks: [{ context: "filings/approval", appId: APP }] }), [L.validate]],
    ["branches need not be up to date", withProtection({ strict: false }), [L.upToDate]],
    ["administrators may bypass", withProtection({ enforceAdmins: false }), [L.noBypass]],
    ["no code owner reviews", withProtection({ codeOwnerReviews: false }), [L.codeOwners]],
    ["stale approvals stay", withProtection({ dismissStaleReviews: false }), [L.dismiss]],
    ["the pusher may approve their own last push", withProtection({ requireLastPushApproval: false }), [L.lastPush]],
    ["force pushes allowed", withProtection({ allowForcePushes: true }), [L.forcePush]],
    ["deletion allowed", withProtection({ allowDeletions: true }), [L.deletion]],
    // A ruleset beside classic protection: the stricter of the two is not enough when one can be bypassed.
    ["a branch ruleset beside protection lets a role bypass", { ...rulesetsOnly(BRANCH_RULES, { bypass: [{ type: "RepositoryRole", id: 5 }] }), protection: PROTECTION }, [L.noBypass]],
    ["a ruleset's approval check from another App beside protection's right one", { ...rulesetsOnly([{ type: "required_status_checks", parameters: { required_status_checks: [{ context: "filings/approval", integration_id: 7 }] } }]), protection: PROTECTION }, [L.approval]],
    ["administrators may bypass the protection, beside a ruleset nobody may bypass", { ...rulesetsOnly(), protection: { ...PROTECTION, enforceAdmins: false } }, [L.noBypass]],
    ["ruleset: its bypass list not shown", rulesetsOnly(BRANCH_RULES, { bypass: undefined }), [L.noBypass]],
    ["ruleset: an approval check without an App", rulesetsOnly([{ type: "required_status_checks", parameters: { strict_required_status_checks_policy: true, required_status_checks: [{ context: "filings/approval" }, { context: "Validate filings" }] } }, ...BRANCH_RULES.slice(1)]), [L.approval]],
    ["ruleset: no up-to-date policy", rulesetsOnly([{ type: "required_status_checks", parameters: { required_status_checks: [{ context: "filings/approval", integration_id: APP }, { context: "Validate filings" }] } }, ...BRANCH_RULES.slice(1)]), [L.upToDate]],
    ["ruleset: no status checks at all", rulesetsOnly(BRANCH_RULES.slice(1)), [L.approval, L.validate, L.upToDate]],
    ["ruleset: pull-request rule without its options", rulesetsOnly([BRANCH_RULES[0]!, { type: "pull_request", parameters: { require_code_owner_review: false } }, ...BRANCH_RULES.slice(2)]), [L.codeOwners, L.dismiss, L.lastPush]],
    ["ruleset: force pushes not blocked", rulesetsOnly(BRANCH_RULES.filter((r) => r.type !== "non_fast_forward")), [L.forcePush]],
    ["ruleset: deletion not restricted", rulesetsOnly(BRANCH_RULES.filter((r) => r.type !== "deletion")), [L.deletion]],
    ["tag ruleset only evaluates", withTag({ enforcement: "evaluate" }), [L.tag]],
    ["tag ruleset targets branches", withTag({ target: "branch" }), [L.tag]],
    ["tag ruleset for other tags", withTag({ include: ["refs/tags/v*"] }), [L.tag]],
    ["tag ruleset excludes the tag", withTag({ include: ["~ALL"], exclude: ["filings-*"] }), [L.tag]],
    ["tag ruleset lets the tag move", withTag({ rules: [{ type: "creation" }, { type: "deletion" }] }), [L.tag]],
    ["tag ruleset lets it be created", withTag({ rules: [{ type: "update" }, { type: "deletion" }] }), [L.tag]],
    ["tag ruleset lets it be deleted", withTag({ rules: [{ type: "creation" }, { type: "update" }] }), [L.tag]],
    ["tag ruleset bypassed by GitHub Actions too", withTag({ bypass: [{ type: "Integration", id: REVERIFY_APP }, { type: "Integration", id: 15368 }] }), [L.tag]],
    ["tag ruleset bypassed by a role", withTag({ bypass: [{ type: "RepositoryRole", id: REVERIFY_APP }] }), [L.tag]],
    ["tag ruleset's bypass list not shown", withTag({ bypass: undefined }), [L.tag]],
    ["tag ruleset's pattern has a dot where the tag has a dash", withTag({ include: ["filings.deployed"] }), [L.tag]],
    ["tag ruleset for a branch of that name", withTag({ include: ["refs/heads/filings-deployed"] }), [L.tag]],
    ["tag ruleset's pattern stops at a slash", withTag({ include: ["refs/*"] }), [L.tag]],
    ["tag ruleset's pattern has a character that is literal there", withTag({ include: ["filings-deployed+"] }), [L.tag]],
    ["ruleset: a pull-request rule with no options at all", rulesetsOnly([BRANCH_RULES[0]!, { type: "pull_request" }, ...BRANCH_RULES.slice(2)]), [L.codeOwners, L.dismiss, L.lastPush]],
    ["approvals environment open to protected branches", withEnv("approvals", { ...reviewed, branches: "protected" }), [L.approvalsEnv]],
    ["approvals environment open to all", withEnv("approvals", { ...reviewed, branches: "all" }), [L.approvalsEnv]],
    ["approvals environment with no branch at all", withEnv("approvals", { ...reviewed, branches: [] }), [L.approvalsEnv]],
    ["approvals environment open to a tag named main", withEnv("approvals", { ...reviewed, branches: [{ name: "main", type: "tag" }] }), [L.approvalsEnv]],
    ["approvals environment open to a second branch", withEnv("approvals", { ...reviewed, branches: [...mainOnly, { name: "release", type: "branch" }] }), [L.approvalsEnv]],
    ["no approvals environment", withEnv("approvals", undefined), [L.approvalsEnv]],
    ["reverify environment without reviewers", withEnv("reverify", { ...reviewed, requiredReviewers: false }), [L.reverifyEnv]],
    ["reverify environment allows self-review", withEnv("reverify", { ...reviewed, preventSelfReview: false }), [L.reverifyEnv]],
    ["reverify environment open to all", withEnv("reverify", { ...reviewed, branches: "all" }), [L.reverifyEnv]],
    ["no reverify environment", withEnv("reverify", undefined), [L.reverifyEnv]],
    ["production open to all", withEnv("production", { ...reviewed, branches: "all" }), [L.productionEnv]],
    ["production without reviewers", withEnv("production", { ...reviewed, requiredReviewers: false }), [L.productionReview]],
    ["production allows self-review", withEnv("production", { ...reviewed, preventSelfReview: false }), [L.productionReview]],
    ["no production environment", withEnv("production", undefined), [L.productionEnv, L.productionReview]],
    ["a writable GITHUB_TOKEN", { ...CLASSIC, workflowPermissions: { defaultPermissions: "write", canApprovePullRequestReviews: false } }, [L.readOnly]],
    ["workflows may approve", { ...CLASSIC, workflowPermissions: { defaultPermissions: "read", canApprovePullRequestReviews: true } }, [L.noApprove]],
  ])("%s: fails exactly its own lines", (_name, settings, lines, expected) => {
    expect(failing(settings, expected)).toEqual(lines);
  });

  it.each([
    ["~ALL"],
    ["filings-*"],
    ["refs/tags/*"],
    ["refs/**"],
    ["**"],
    ["filings-deployed"],
  ])("a tag ruleset with the pattern %s guards the tag", (pattern) => {
    expect(failing(withTag({ include: [pattern] }))).toEqual([]);
  });

  it("a tag ruleset one of whose patterns names the tag guards it", () => {
    expect(failing(withTag({ include: ["refs/tags/v*", "filings-deployed"] }))).toEqual([]);
  });

  it("a tag ruleset among others counts; an exclusion of another tag does not matter", () => {
    expect(failing({ ...CLASSIC, rulesets: [{ ...TAG_RULESET, id: 3, enforcement: "disabled" }, { ...TAG_RULESET, exclude: ["v*"] }] })).toEqual([]);
  });

  it("each failing line says how to fix it, naming what it found, in both languages", () => {
    const fixes = (s: RepositorySettings, expected = EXPECTED) =>
      Object.fromEntries(judgeSettings(s, expected).filter((f) => !f.ok).map((f) => [f.what.en, f.fix!]));
    const all = fixes({
      ...CLASSIC,
      defaultBranch: "master",
      deployedTagExists: false,
      exposedSecrets: ["VSPHERE_PASSWORD（repository）", "PULUMI_CONFIG_PASSPHRASE（organization）"],
      protection: undefined,
      rulesets: [],
      environments: {},
      workflowPermissions: { defaultPermissions: "write", canApprovePullRequestReviews: true },
    }, { ...EXPECTED, reverifyAppId: APP });
    expect(Object.keys(all)).toEqual([...Object.values(L)]);
    const expectations: Record<string, [string, string]> = {
      [L.defaultBranch]: ["GitHub 上的默认分支是 master：用 --branch master 检查，或在 Settings → General 把默认分支改为 main", "check with --branch master, or make main the default under Settings → General"],
      [L.twoApps]: [`两处填的是同一个 App（${APP}）`, "Create a separate App for the re-check"],
      [L.tagExists]: ["git tag filings-deployed <提交>", "git tag filings-deployed <commit>"],
      [L.secrets]: ["删除 VSPHERE_PASSWORD（repository）、PULUMI_CONFIG_PASSPHRASE（organization）", "Delete VSPHERE_PASSWORD（repository）, PULUMI_CONFIG_PASSPHRASE（organization）"],
      [L.protected]: ["在 Settings → Branches（或 Rules → Rulesets） 为 main 添加保护规则", "Add a protection rule or a ruleset for main under Settings → Branches (or Rules → Rulesets)"],
      [L.approval]: ["把 filings/approval 设为必需检查，来源选审批用的 GitHub App", "Make filings/approval a required check of main"],
      [L.validate]: ["把 Validate filings 也设为必需检查", "Make Validate filings a required check of main too"],
      [L.upToDate]: ["Require branches to be up to date before merging", "Require branches to be up to date before merging"],
      [L.noBypass]: ["Do not allow bypassing the above settings", "leave every ruleset's bypass list empty"],
      [L.codeOwners]: ["Require review from Code Owners", "Require review from Code Owners"],
      [L.dismiss]: ["Dismiss stale pull request approvals", "Dismiss stale pull request approvals"],
      [L.lastPush]: ["Require approval of the most recent reviewable push", "Require approval of the most recent reviewable push"],
      [L.forcePush]: ["不要勾选 Allow force pushes", "Block force pushes"],
      [L.deletion]: ["不要勾选 Allow deletions", "Restrict deletions"],
      [L.tag]: [`只加复核用的 GitHub App（${APP}`, `the re-check's GitHub App (${APP}`],
      [L.approvalsEnv]: ["Settings → Environments → approvals 把 Deployment branches 设为 Selected branches，只填 main", "Under Settings → Environments → approvals, set Deployment branches to Selected branches with main only"],
      [L.reverifyEnv]: ["创建 Settings → Environments → reverify", "FILINGS_REVERIFY_APP_PRIVATE_KEY"],
      [L.productionEnv]: ["Settings → Environments → production 把 Deployment branches 设为 Selected branches", "Under Settings → Environments → production, set Deployment branches"],
      [L.productionReview]: ["勾选 Prevent self-review", "under Settings → Environments → production"],
      [L.readOnly]: ["Read repository contents", "Read repository contents"],
      [L.noApprove]: ["Allow GitHub Actions to create and approve pull requests", "Allow GitHub Actions to create and approve pull requests"],
    };
    for (const [line, [zh, en]] of Object.entries(expectations)) {
      expect(all[line]!.zh, line).toContain(zh);
      expect(all[line]!.en, line).toContain(en);
    }
    // An approval check that exists but comes from the wrong source is told to change its source.
    const source = fixes(withProtection({ checks: [{ context: "filings/approval", appId: null }, { context: "filings/approval", appId: APP }, { context: "Validate filings", appId: null }] }))[L.approval]!;
    expect(source.zh).toContain(`把必需检查 filings/approval 的来源从“任意来源”改为审批用的 GitHub App（当前：任意、${APP}）`);
    expect(source.en).toContain(`(now: any, ${APP})`);
  });
});

describe("misplacedSecrets", () => {
  it("knows each of the robots' secrets, and finds it set for the repository", () => {
    const robots = ["FILINGS_NOTIFY_WECOM_URL", "FILINGS_NOTIFY_DINGTALK_URL", "FILINGS_NOTIFY_DINGTALK_SECRET", "FILINGS_NOTIFY_FEISHU_URL", "FILINGS_NOTIFY_FEISHU_SECRET", "FILINGS_NOTIFY_SMTP_URL"];
    expect(misplacedSecrets({ repository: robots })).toEqual(robots.map((n) => `${n}（repository）`));
    expect(misplacedSecrets({ approvals: robots, reverify: robots })).toEqual([]);
  });

  it("names each environment-only secret set anywhere but its own environment, and ignores other secrets", () => {
    expect(misplacedSecrets({
      repository: ["VSPHERE_PASSWORD", "SLACK_WEBHOOK", "FILINGS_NOTIFY_WECOM_URL"],
      organization: ["FILINGS_REVERIFY_APP_PRIVATE_KEY", "FILINGS_NOTIFY_SMTP_URL"],
      approvals: ["FILINGS_APP_PRIVATE_KEY", "PULUMI_CONFIG_PASSPHRASE", "FILINGS_NOTIFY_DINGTALK_URL", "FILINGS_NOTIFY_DINGTALK_SECRET", "FILINGS_NOTIFY_FEISHU_URL", "FILINGS_NOTIFY_FEISHU_SECRET"],
      reverify: ["FILINGS_REVERIFY_APP_PRIVATE_KEY", "FILINGS_NOTIFY_WECOM_URL"],
      production: ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_BACKEND_URL", "VSPHERE_SERVER", "VSPHERE_USER", "VSPHERE_PASSWORD", "PROXMOX_VE_ENDPOINT", "PROXMOX_VE_API_TOKEN", "FILINGS_APP_PRIVATE_KEY", "FILINGS_NOTIFY_FEISHU_SECRET"],
    })).toEqual([
      "VSPHERE_PASSWORD（repository）",
      "FILINGS_NOTIFY_WECOM_URL（repository）",
      "FILINGS_REVERIFY_APP_PRIVATE_KEY（organization）",
      "FILINGS_NOTIFY_SMTP_URL（organization）",
      "PULUMI_CONFIG_PASSPHRASE（approvals）",
      "FILINGS_APP_PRIVATE_KEY（production）",
      // The robots' secrets live where the commands that notify run, and nowhere else.
      "FILINGS_NOTIFY_FEISHU_SECRET（production）",
    ]);
  });
});
