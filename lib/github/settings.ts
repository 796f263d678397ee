import { msg, type Message } from "../messages";

/**
 * The repository settings the trust boundary stands on (docs/approvals.md, "Repository settings"),
 * judged from what GitHub's API says of them. A branch is guarded by classic branch protection, by
 * rulesets, or by both; a setting holds when either provides it, and administrators can bypass
 * unless neither lets them. Pure: the adapter reads, this decides.
 */

/** Classic branch protection of the default branch, as far as the gate relies on it. */
export interface ClassicProtection {
  readonly checks: readonly { readonly context: string; readonly appId: number | null }[];
  /** Branches must be up to date before merging. */
  readonly strict: boolean;
  readonly enforceAdmins: boolean;
  readonly codeOwnerReviews: boolean;
  readonly dismissStaleReviews: boolean;
  readonly requireLastPushApproval: boolean;
  readonly allowForcePushes: boolean;
  readonly allowDeletions: boolean;
}

/** One rule of a ruleset, as GitHub names it (`deletion`, `pull_request`, …). */
export interface RulesetRule {
  readonly type: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** A repository or organization ruleset. */
export interface Ruleset {
  readonly id: number;
  readonly target: "branch" | "tag" | string;
  /** `active`, `evaluate` (reports only) or `disabled`. */
  readonly enforcement: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly rules: readonly RulesetRule[];
  /** Who may bypass it (`Integration` is a GitHub App, by its id); undefined when GitHub did not show it. */
  readonly bypass: readonly { readonly type: string; readonly id: number | null }[] | undefined;
}

export interface RepositorySettings {
  /** The repository's default branch, as GitHub has it. */
  readonly defaultBranch: string;
  /** Whether the tag the re-check starts from exists (set on a reviewed commit when going live). */
  readonly deployedTagExists: boolean;
  /** Secrets that belong in one environment but are also set elsewhere, as `NAME（place）`. */
  readonly exposedSecrets: readonly string[];
  /** Classic protection of the default branch; undefined when there is none. */
  readonly protection?: ClassicProtection;
  /** The rules GitHub says apply to the default branch, each with the ruleset it comes from. */
  readonly branchRules: readonly (RulesetRule & { readonly rulesetId: number })[];
  /** Every ruleset a branch rule comes from, and every tag ruleset. */
  readonly rulesets: readonly Ruleset[];
  /** Environments by name; undefined when the environment does not exist. */
  readonly environments: Readonly<Record<string, EnvironmentSettings | undefined>>;
  readonly workflowPermissions: { readonly defaultPermissions: string; readonly canApprovePullRequestReviews: boolean };
}

export interface EnvironmentSettings {
  /** Which refs may deploy: all, protected branches, or the named branch and tag patterns. */
  readonly branches: "all" | "protected" | readonly { readonly name: string; readonly type: "branch" | "tag" }[];
  readonly requiredReviewers: boolean;
  /** Whoever started the run cannot approve it themselves. */
  readonly preventSelfReview: boolean;
}

export interface SettingFinding {
  readonly ok: boolean;
  readonly what: Message;
  /** How to fix it, when it is not ok. */
  readonly fix?: Message;
}

export const APPROVAL_CONTEXT = "filings/approval";
/** The pull-request checks' job (pull-request.yml), which validates the filings. */
export const VALIDATE_CONTEXT = "Validate filings";
/** The tag the deploy's re-check starts from. */
export const DEPLOYED_TAG = "filings-deployed";
/** Holds the GitHub App's key; only the default branch's workflows may use it. */
export const APPROVALS_ENVIRONMENT = "approvals";
/** Holds the re-check App's key; only the default branch, and a reviewer approves each use. */
export const REVERIFY_ENVIRONMENT = "reverify";
/** Holds the platform's credentials and the state passphrase. */
export const PRODUCTION_ENVIRONMENT = "production";
/**
 * The notification robots' webhooks and the mail server (lib/notify): secrets, since a webhook's
 * address is all it takes to post in a campus group. They reach only the jobs that notify: the
 * approval status (approvals), the deploy's report (reverify) and the reminders (approvals).
 */
export const NOTIFY_SECRETS = ["FILINGS_NOTIFY_WECOM_URL", "FILINGS_NOTIFY_DINGTALK_URL", "FILINGS_NOTIFY_DINGTALK_SECRET", "FILINGS_NOTIFY_FEISHU_URL", "FILINGS_NOTIFY_FEISHU_SECRET", "FILINGS_NOTIFY_SMTP_URL"] as const;

/**
 * The secrets that must live in environments only, by name, with the environments each may live in:
 * set for the repository, the organization or another environment, a workflow that environment's
 * rules do not hold back reads them (a department's branch can change a pull_request workflow).
 */
export const SECRET_HOMES: Readonly<Record<string, readonly string[]>> = {
  FILINGS_APP_PRIVATE_KEY: [APPROVALS_ENVIRONMENT],
  FILINGS_REVERIFY_APP_PRIVATE_KEY: [REVERIFY_ENVIRONMENT],
  PULUMI_CONFIG_PASSPHRASE: [PRODUCTION_ENVIRONMENT],
  PULUMI_BACKEND_URL: [PRODUCTION_ENVIRONMENT],
  VSPHERE_SERVER: [PRODUCTION_ENVIRONMENT],
  VSPHERE_USER: [PRODUCTION_ENVIRONMENT],
  VSPHERE_PASSWORD: [PRODUCTION_ENVIRONMENT],
  PROXMOX_VE_ENDPOINT: [PRODUCTION_ENVIRONMENT],
  PROXMOX_VE_API_TOKEN: [PRODUCTION_ENVIRONMENT],
};

/** The environments secret `name` may live in, or undefined for a secret of no environment. */
export function secretHomes(name: string): readonly string[] | undefined {
  // The robots' secrets serve the commands that notify, in two environments.
  if ((NOTIFY_SECRETS as readonly string[]).includes(name)) return [APPROVALS_ENVIRONMENT, REVERIFY_ENVIRONMENT];
  return SECRET_HOMES[name];
}

/** Where each secret is set: `repository`, `organization`, or an environment's name. */
export type SecretPlaces = Readonly<Record<string, readonly string[]>>;

/** The secrets set anywhere but their environments, as `NAME（place）`. */
export function misplacedSecrets(places: SecretPlaces): string[] {
  return Object.entries(places).flatMap(([place, names]) => names.filter((n) => secretHomes(n)?.includes(place) === false).map((n) => `${n}（${place}）`));
}

/**
 * Only the default branch, by name. "Protected branches" is refused: any branch someone protects
 * later (a release branch, a branch of their own) could then use the keys.
 */
function onlyDefault(env: EnvironmentSettings | undefined, branch: string): boolean {
  // A tag policy named like the branch would let anyone who can push that tag use the keys.
  return !!env && Array.isArray(env.branches) && env.branches.length > 0 && env.branches.every((b) => b.type === "branch" && b.name === branch);
}

/** A tag ruleset's ref pattern (fnmatch: `*` within a segment, `**` across; `~ALL`) against a tag's full ref. */
function tagMatches(pattern: string, ref: string): boolean {
  if (pattern === "~ALL") return true;
  const source = pattern.split("**").map((part) => part.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^/]*")).join(".*");
  return new RegExp(`^${source}$`).test(ref) || (!pattern.startsWith("refs/") && new RegExp(`^refs/tags/${source}$`).test(ref));
}

/** An active tag ruleset that includes the tag and does not exclude it. */
function guardsTag(r: Ruleset, ref: string): boolean {
  return r.target === "tag" && r.enforcement === "active" && r.include.some((p) => tagMatches(p, ref)) && !r.exclude.some((p) => tagMatches(p, ref));
}

export function judgeSettings(s: RepositorySettings, expected: { branch: string; appId: number; reverifyAppId: number }): SettingFinding[] {
  const { branch, appId, reverifyAppId } = expected;
  const p = s.protection;
  const rules = (type: string) => s.branchRules.filter((r) => r.type === type);
  const param = (type: string, name: string) => rules(type).some((r) => r.parameters?.[name] === true);
  const rulesetChecks = rules("required_status_checks").flatMap((r) =>
    ((r.parameters?.required_status_checks ?? []) as { context: string; integration_id?: number }[]).map((c) => ({ context: c.context, appId: c.integration_id ?? null })));
  const checks = [...(p?.checks ?? []), ...rulesetChecks];
  const approvalCheck = checks.filter((c) => c.context === APPROVAL_CONTEXT);
  const guarded = p !== undefined || s.branchRules.length > 0;
  const branchRulesets = s.rulesets.filter((r) => s.branchRules.some((b) => b.rulesetId === r.id));
  const noBypass = guarded && (p === undefined || p.enforceAdmins) && branchRulesets.every((r) => r.bypass?.length === 0);
  const tagRef = `refs/tags/${DEPLOYED_TAG}`;
  // Only the re-check's App may move the tag (the deploy's last job, behind a reviewer): GitHub Actions
  // as a bypass actor would let any branch's workflow with contents: write move it past unchecked merges.
  const tagGuarded = s.rulesets.some((r) => guardsTag(r, tagRef) && ["creation", "deletion", "update"].every((t) => r.rules.some((x) => x.type === t))
    && r.bypass !== undefined && r.bypass.every((b) => b.type === "Integration" && b.id === reverifyAppId));
  const approvals = s.environments[APPROVALS_ENVIRONMENT];
  const reverify = s.environments[REVERIFY_ENVIRONMENT];
  const production = s.environments[PRODUCTION_ENVIRONMENT];
  const where = (e: string) => `Settings → Environments → ${e}`;
  const rule = `Settings → Branches（或 Rules → Rulesets）`;
  const ruleEn = "Settings → Branches (or Rules → Rulesets)";
  return [
    {
      ok: s.defaultBranch === branch,
      what: msg(`仓库的默认分支是 ${branch}`, `the repository's default branch is ${branch}`),
      fix: msg(`GitHub 上的默认分支是 ${s.defaultBranch}：用 --branch ${s.defaultBranch} 检查，或在 Settings → General 把默认分支改为 ${branch}。`, `GitHub's default branch is ${s.defaultBranch}: check with --branch ${s.defaultBranch}, or make ${branch} the default under Settings → General.`),
    },
    {
      ok: appId !== reverifyAppId,
      what: msg("审批 App 与复核 App 是两个不同的 App", "the approvals App and the re-check App are two different Apps"),
      fix: msg(
        `两处填的是同一个 App（${appId}）：审批环境不需要审查人，其私钥若也能移动 ${DEPLOYED_TAG}，合并进 main 的工作流就能跳过复核。请为复核另建一个 App。`,
        `Both are App ${appId}: the approvals environment has no reviewer, so if its key could also move ${DEPLOYED_TAG}, a workflow merged to main could skip the re-check. Create a separate App for the re-check.`,
      ),
    },
    {
      ok: s.deployedTagExists,
      what: msg(`标签 ${DEPLOYED_TAG} 已设在经过审阅的提交上`, `the tag ${DEPLOYED_TAG} is set on a reviewed commit`),
      fix: msg(
        `上线前在信息中心审阅过的提交上创建 ${DEPLOYED_TAG}（git tag ${DEPLOYED_TAG} <提交> 后推送），再启用标签规则集：部署的复核运行该提交的代码；没有标签时，谁先创建它，谁的代码就成了复核。`,
        `Before going live, create ${DEPLOYED_TAG} on a commit the information center reviewed (git tag ${DEPLOYED_TAG} <commit>, then push it), then turn the tag ruleset on: the deploy's re-check runs that commit's code, and without the tag, whoever creates it first supplies the re-check.`,
      ),
    },
    {
      ok: s.exposedSecrets.length === 0,
      what: msg("环境专用的 secret 只设在各自的环境中（不在仓库、组织或其他环境）", "environment-only secrets are set in their own environment only (not the repository, organization or another environment)"),
      fix: msg(
        `删除 ${s.exposedSecrets.join("、")}（Settings → Secrets and variables → Actions，或 Settings → Environments）：设在那里，不受对应环境保护的工作流也能读取；只保留在各自的环境中。`,
        `Delete ${s.exposedSecrets.join(", ")} (Settings → Secrets and variables → Actions, or Settings → Environments): set there, workflows their own environment does not guard read them; keep each in its environment only.`,
      ),
    },
    {
      ok: guarded,
      what: msg(`分支 ${branch} 受保护（保护规则或规则集）`, `branch ${branch} is protected (a protection rule or a ruleset)`),
      fix: msg(`在 ${rule} 为 ${branch} 添加保护规则。`, `Add a protection rule or a ruleset for ${branch} under ${ruleEn}.`),
    },
    {
      ok: approvalCheck.length > 0 && approvalCheck.every((c) => c.appId === appId),
      what: msg(`必需的检查 ${APPROVAL_CONTEXT} 只接受 GitHub App ${appId} 设置的状态`, `the required check ${APPROVAL_CONTEXT} accepts only statuses set by GitHub App ${appId}`),
      fix: msg(
        approvalCheck.length > 0 ? `把必需检查 ${APPROVAL_CONTEXT} 的来源从“任意来源”改为审批用的 GitHub App（当前：${approvalCheck.map((c) => c.appId ?? "任意").join("、")}）；否则 PR 自带的工作流也能把它设为成功。` : `在 ${branch} 的保护规则中把 ${APPROVAL_CONTEXT} 设为必需检查，来源选审批用的 GitHub App。`,
        approvalCheck.length > 0 ? `Set the source of the required check ${APPROVAL_CONTEXT} to the approvals GitHub App (now: ${approvalCheck.map((c) => c.appId ?? "any").join(", ")}); otherwise a workflow a pull request adds can set it to success.` : `Make ${APPROVAL_CONTEXT} a required check of ${branch}, with the approvals GitHub App as its source.`,
      ),
    },
    {
      ok: checks.some((c) => c.context === VALIDATE_CONTEXT),
      what: msg(`必需的检查包括 ${VALIDATE_CONTEXT}（备案校验）`, `the required checks include ${VALIDATE_CONTEXT}`),
      fix: msg(`在 ${branch} 的保护规则中把 ${VALIDATE_CONTEXT} 也设为必需检查。`, `Make ${VALIDATE_CONTEXT} a required check of ${branch} too.`),
    },
    {
      ok: (p?.strict ?? false) || param("required_status_checks", "strict_required_status_checks_policy"),
      what: msg("合并前分支须与目标分支同步（检查在最新的基础上通过）", "branches must be up to date before merging"),
      fix: msg("在保护规则中勾选 Require branches to be up to date before merging。", "Tick \"Require branches to be up to date before merging\" in the rule."),
    },
    {
      ok: noBypass,
      what: msg("管理员也受保护规则约束，无人可绕过", "the rules apply to administrators too, and nobody may bypass them"),
      fix: msg("在保护规则中勾选 Do not allow bypassing the above settings；规则集的 Bypass list 保持为空。", "Tick \"Do not allow bypassing the above settings\" in the rule, and leave every ruleset's bypass list empty."),
    },
    {
      ok: (p?.codeOwnerReviews ?? false) || param("pull_request", "require_code_owner_review"),
      what: msg("需要 CODEOWNERS 审查", "code owner reviews are required"),
      fix: msg("在保护规则中勾选 Require review from Code Owners。", "Tick \"Require review from Code Owners\" in the rule."),
    },
    {
      ok: (p?.dismissStaleReviews ?? false) || param("pull_request", "dismiss_stale_reviews_on_push"),
      what: msg("有新提交时撤销已有的批准", "approvals are dismissed when new commits are pushed"),
      fix: msg("在保护规则中勾选 Dismiss stale pull request approvals when new commits are pushed。", "Tick \"Dismiss stale pull request approvals when new commits are pushed\" in the rule."),
    },
    {
      ok: (p?.requireLastPushApproval ?? false) || param("pull_request", "require_last_push_approval"),
      what: msg("最后一次推送须由推送者以外的人批准", "the most recent push must be approved by someone other than its pusher"),
      fix: msg("在保护规则中勾选 Require approval of the most recent reviewable push。", "Tick \"Require approval of the most recent reviewable push\" in the rule."),
    },
    {
      ok: guarded && !(p?.allowForcePushes ?? false) && (p !== undefined || rules("non_fast_forward").length > 0),
      what: msg(`不允许强制推送到 ${branch}`, `force pushes to ${branch} are blocked`),
      fix: msg("在保护规则中不要勾选 Allow force pushes（规则集：Block force pushes）。", "Leave \"Allow force pushes\" unticked (rulesets: Block force pushes)."),
    },
    {
      ok: guarded && !(p?.allowDeletions ?? false) && (p !== undefined || rules("deletion").length > 0),
      what: msg(`不允许删除 ${branch}`, `${branch} cannot be deleted`),
      fix: msg("在保护规则中不要勾选 Allow deletions（规则集：Restrict deletions）。", "Leave \"Allow deletions\" unticked (rulesets: Restrict deletions)."),
    },
    {
      ok: tagGuarded,
      what: msg(`标签 ${DEPLOYED_TAG} 受规则集保护（不能创建、移动或删除）`, `the tag ${DEPLOYED_TAG} is protected by a ruleset (cannot be created, moved or deleted)`),
      fix: msg(
        `在 Settings → Rules → Rulesets 新建标签规则集：目标 ${DEPLOYED_TAG}，勾选 Restrict creations、Restrict updates 与 Restrict deletions，状态 Active；Bypass list 只加复核用的 GitHub App（${reverifyAppId}，部署的最后一步用它移动标签），不要加 GitHub Actions、角色或人员。复核从该标签开始，能移动它的人就能跳过复核。`,
        `Under Settings → Rules → Rulesets add a tag ruleset: target ${DEPLOYED_TAG}, Restrict creations, updates and deletions, Active; bypass list: the re-check's GitHub App (${reverifyAppId}, which the deploy's last step moves the tag with) and nobody else — not GitHub Actions, no role, no person. The re-check starts at this tag: whoever can move it can skip the re-check.`,
      ),
    },
    {
      ok: onlyDefault(approvals, branch),
      what: msg(`环境 ${APPROVALS_ENVIRONMENT}（审批 App 私钥）只允许 ${branch} 使用`, `environment ${APPROVALS_ENVIRONMENT} (the approvals App's key) is usable from ${branch} only`),
      fix: msg(`在 ${where(APPROVALS_ENVIRONMENT)} 把 Deployment branches 设为 Selected branches，只填 ${branch}（不要选 Protected branches only），并把 App 私钥放在该环境的 secret 中。`, `Under ${where(APPROVALS_ENVIRONMENT)}, set Deployment branches to Selected branches with ${branch} only (not "Protected branches only"), and keep the App's private key as that environment's secret.`),
    },
    {
      ok: onlyDefault(reverify, branch) && reverify?.requiredReviewers === true && reverify.preventSelfReview,
      what: msg(`环境 ${REVERIFY_ENVIRONMENT}（复核 App 私钥）只允许 ${branch} 使用，且需要他人批准`, `environment ${REVERIFY_ENVIRONMENT} (the re-check App's key) is usable from ${branch} only and requires another person's approval`),
      fix: msg(`创建 ${where(REVERIFY_ENVIRONMENT)}：Deployment branches 只填分支 ${branch}，添加 Required reviewers（信息中心维护者）并勾选 Prevent self-review，把复核 App 的私钥放在该环境的 secret FILINGS_REVERIFY_APP_PRIVATE_KEY 中。`, `Create ${where(REVERIFY_ENVIRONMENT)}: deployment branch ${branch} only, required reviewers (information-center maintainers) with "Prevent self-review", and the re-check App's private key as its secret FILINGS_REVERIFY_APP_PRIVATE_KEY.`),
    },
    {
      ok: onlyDefault(production, branch),
      what: msg(`环境 ${PRODUCTION_ENVIRONMENT}（平台凭据）只允许 ${branch} 使用`, `environment ${PRODUCTION_ENVIRONMENT} (the platform's credentials) is usable from ${branch} only`),
      fix: msg(`在 ${where(PRODUCTION_ENVIRONMENT)} 把 Deployment branches 设为 Selected branches，只填 ${branch}（不要选 Protected branches only）。`, `Under ${where(PRODUCTION_ENVIRONMENT)}, set Deployment branches to Selected branches with ${branch} only (not "Protected branches only").`),
    },
    {
      ok: production?.requiredReviewers === true && production.preventSelfReview,
      what: msg(`环境 ${PRODUCTION_ENVIRONMENT} 需要他人批准（不能批准自己触发的部署）`, `environment ${PRODUCTION_ENVIRONMENT} requires another person's approval (no self-review)`),
      fix: msg(`在 ${where(PRODUCTION_ENVIRONMENT)} 添加 Required reviewers（信息中心维护者）并勾选 Prevent self-review。`, `Add required reviewers (information-center maintainers) with "Prevent self-review" under ${where(PRODUCTION_ENVIRONMENT)}.`),
    },
    {
      ok: s.workflowPermissions.defaultPermissions === "read",
      what: msg("工作流的 GITHUB_TOKEN 默认只读", "workflows' GITHUB_TOKEN is read-only by default"),
      fix: msg("在 Settings → Actions → General → Workflow permissions 选择 Read repository contents。", "Choose \"Read repository contents\" under Settings → Actions → General → Workflow permissions."),
    },
    {
      ok: !s.workflowPermissions.canApprovePullRequestReviews,
      what: msg("工作流不能批准 PR", "workflows cannot approve pull requests"),
      fix: msg("在同一页取消勾选 Allow GitHub Actions to create and approve pull requests。", "Untick \"Allow GitHub Actions to create and approve pull requests\" on the same page."),
    },
  ].map((f) => (f.ok ? { ok: true, what: f.what } : f));
}
