import { msg, type Message } from "../messages";

/**
 * The repository settings the trust boundary stands on (docs/approvals.md, "Repository settings"),
 * judged from what GitHub's API says of them. Pure: the adapter reads, this decides.
 */

export interface RepositorySettings {
  /** Branch protection of the default branch; undefined when there is none. */
  readonly protection?: {
    readonly checks: readonly { readonly context: string; readonly appId: number | null }[];
    readonly enforceAdmins: boolean;
    readonly codeOwnerReviews: boolean;
  };
  /** Environments by name; undefined when the environment does not exist. */
  readonly environments: Readonly<Record<string, EnvironmentSettings | undefined>>;
  readonly workflowPermissions: { readonly defaultPermissions: string; readonly canApprovePullRequestReviews: boolean };
}

export interface EnvironmentSettings {
  /** Which branches may deploy: all, protected branches, or the named patterns. */
  readonly branches: "all" | "protected" | readonly string[];
  readonly requiredReviewers: boolean;
}

export interface SettingFinding {
  readonly ok: boolean;
  readonly what: Message;
  /** How to fix it, when it is not ok. */
  readonly fix?: Message;
}

export const APPROVAL_CONTEXT = "filings/approval";
/** Holds the GitHub App's key; only the default branch's workflows may use it. */
export const APPROVALS_ENVIRONMENT = "approvals";
/** Holds the platform's credentials and the state passphrase. */
export const PRODUCTION_ENVIRONMENT = "production";

function onlyDefault(env: EnvironmentSettings | undefined, branch: string): boolean {
  if (!env) return false;
  return env.branches === "protected" || (Array.isArray(env.branches) && env.branches.length > 0 && env.branches.every((b) => b === branch));
}

export function judgeSettings(s: RepositorySettings, expected: { branch: string; appId: number }): SettingFinding[] {
  const { branch, appId } = expected;
  const p = s.protection;
  const check = p?.checks.find((c) => c.context === APPROVAL_CONTEXT);
  const approvals = s.environments[APPROVALS_ENVIRONMENT];
  const production = s.environments[PRODUCTION_ENVIRONMENT];
  const where = (e: string) => `Settings → Environments → ${e}`;
  return [
    {
      ok: p !== undefined,
      what: msg(`分支 ${branch} 受保护`, `branch ${branch} is protected`),
      fix: msg(`在 Settings → Branches 为 ${branch} 添加保护规则。`, `Add a protection rule for ${branch} under Settings → Branches.`),
    },
    {
      ok: check !== undefined && check.appId === appId,
      what: msg(`必需的检查 ${APPROVAL_CONTEXT} 只接受 GitHub App ${appId} 设置的状态`, `the required check ${APPROVAL_CONTEXT} accepts only statuses set by GitHub App ${appId}`),
      fix: msg(
        check ? `把必需检查 ${APPROVAL_CONTEXT} 的来源从“任意来源”改为审批用的 GitHub App（当前：${check.appId ?? "任意"}）；否则 PR 自带的工作流也能把它设为成功。` : `在 ${branch} 的保护规则中把 ${APPROVAL_CONTEXT} 设为必需检查，来源选审批用的 GitHub App。`,
        check ? `Set the source of the required check ${APPROVAL_CONTEXT} to the approvals GitHub App (now: ${check.appId ?? "any"}); otherwise a workflow a pull request adds can set it to success.` : `Make ${APPROVAL_CONTEXT} a required check of ${branch}, with the approvals GitHub App as its source.`,
      ),
    },
    {
      ok: p?.enforceAdmins === true,
      what: msg("管理员也受保护规则约束", "the rules apply to administrators too"),
      fix: msg("在保护规则中勾选 Do not allow bypassing the above settings（enforce admins）。", "Tick \"Do not allow bypassing the above settings\" (enforce admins) in the rule."),
    },
    {
      ok: p?.codeOwnerReviews === true,
      what: msg("需要 CODEOWNERS 审查", "code owner reviews are required"),
      fix: msg("在保护规则中勾选 Require review from Code Owners。", "Tick \"Require review from Code Owners\" in the rule."),
    },
    {
      ok: onlyDefault(approvals, branch),
      what: msg(`环境 ${APPROVALS_ENVIRONMENT}（App 私钥）只允许 ${branch} 使用`, `environment ${APPROVALS_ENVIRONMENT} (the App's key) is usable from ${branch} only`),
      fix: msg(`在 ${where(APPROVALS_ENVIRONMENT)} 把 Deployment branches 设为只允许 ${branch}，并把 App 私钥放在该环境的 secret 中。`, `Under ${where(APPROVALS_ENVIRONMENT)}, allow deployments from ${branch} only, and keep the App's private key as that environment's secret.`),
    },
    {
      ok: onlyDefault(production, branch),
      what: msg(`环境 ${PRODUCTION_ENVIRONMENT}（平台凭据）只允许 ${branch} 使用`, `environment ${PRODUCTION_ENVIRONMENT} (the platform's credentials) is usable from ${branch} only`),
      fix: msg(`在 ${where(PRODUCTION_ENVIRONMENT)} 把 Deployment branches 设为只允许 ${branch}。`, `Under ${where(PRODUCTION_ENVIRONMENT)}, allow deployments from ${branch} only.`),
    },
    {
      ok: production?.requiredReviewers === true,
      what: msg(`环境 ${PRODUCTION_ENVIRONMENT} 需要审查人批准`, `environment ${PRODUCTION_ENVIRONMENT} requires a reviewer`),
      fix: msg(`在 ${where(PRODUCTION_ENVIRONMENT)} 添加 Required reviewers（信息中心维护者）。`, `Add required reviewers (information-center maintainers) under ${where(PRODUCTION_ENVIRONMENT)}.`),
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
