import type { Octokit } from "octokit" with { "resolution-mode": "import" };
import type { Commit, Review, ReviewState } from "../approvals/evaluate";
import { believe, type Answer, type AnswerKind } from "./answers";
import { DEPLOYED_TAG, misplacedSecrets, type EnvironmentSettings, type RepositorySettings, type Ruleset } from "./settings";
import { GitHubApiError } from "../errors";
import type { ChangedFile, GitHubPort, PullRequestInfo, RepositoryPort } from "./port";

export interface RepositoryOptions {
  readonly token: string | undefined;
  /** REST API root: https://api.github.com, or a GitHub Enterprise Server's https://host/api/v3. */
  readonly baseUrl: string;
  readonly owner: string;
  readonly repo: string;
  /** Base delay of the retry plugin (ms); tests shorten it. */
  readonly retryBaseMs?: number;
}

export interface OctokitOptions extends RepositoryOptions {
  readonly number: number;
  /**
   * A token allowed to read organization team membership (read:org), which the workflow's own
   * GITHUB_TOKEN is not; used for team lookups only. Defaults to `token`.
   */
  readonly teamsToken?: string;
}

const PER_PAGE = 100;

/** Rate limits are waited out only when the wait is short; otherwise the check fails and says so. */
const MAX_RATE_LIMIT_WAIT_S = 30;

function explain(err: unknown, what: string): GitHubApiError {
  const status = (err as { status?: number }).status;
  const headers = ((err as { response?: { headers?: Record<string, string> } }).response?.headers ?? {}) as Record<string, string>;
  if (status === 403 && (headers["x-ratelimit-remaining"] === "0" || /rate limit/i.test(String((err as Error).message)))) {
    const reset = Number(headers["x-ratelimit-reset"]);
    const when = Number.isFinite(reset) ? new Date(reset * 1000).toISOString() : "later";
    return new GitHubApiError(403, `GitHub API 速率限制已用完（${what}），请在 ${when} 之后重试。审批状态未更新。`, `GitHub API rate limit exhausted (${what}); retry after ${when}. The approval status was not updated.`);
  }
  if (status === 404) {
    return new GitHubApiError(404, `GitHub 上找不到 ${what}（404）。请检查仓库名、PR 编号和令牌权限。`, `${what} not found on GitHub (404). Check the repository, the PR number and the token's permissions.`);
  }
  if (status === 401) return new GitHubApiError(401, `GitHub 拒绝了令牌（401，${what}）。请检查 GITHUB_TOKEN。`, `GitHub refused the token (401, ${what}). Check GITHUB_TOKEN.`);
  if (status !== undefined && status >= 500) {
    return new GitHubApiError(status, `GitHub 服务器错误 ${status}（${what}），重试后仍失败。审批状态未更新，请稍后重新运行。`, `GitHub server error ${status} (${what}) persisted after retries. The approval status was not updated; run again later.`);
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new GitHubApiError(status, `调用 GitHub API 失败（${what}）：${detail}`, `GitHub API call failed (${what}): ${detail}`);
}

async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw err instanceof GitHubApiError ? err : explain(err, what);
  }
}

/** One answer, believed only in the shape `kind` describes. */
async function one<T>(kind: AnswerKind, what: string, f: () => Promise<Answer>): Promise<T> {
  return believe<T>(kind, what, await call(what, f));
}

/** Every page of a list, each page believed only as a list of the shape `kind` describes. */
async function all<T>(kind: AnswerKind, what: string, pages: () => AsyncIterable<Answer>): Promise<T[]> {
  return call(what, async () => {
    const out: T[] = [];
    for await (const page of pages()) out.push(...believe<T[]>(kind, what, page));
    return out;
  });
}

interface UserJson { login: string }
interface PullJson { number: number; state: "open" | "closed"; user: UserJson; head: { sha: string }; base: { sha: string; ref: string }; commits: number; changed_files: number }
interface FileJson { filename: string; status: string; previous_filename?: string }
interface CommitJson { sha: string; author: UserJson | null; committer: UserJson | null }
interface ReviewJson { id: number; user: UserJson | null; state: string; commit_id?: string | null; submitted_at?: string }
interface IssueJson { number: number; title: string; body?: string | null; pull_request?: unknown }
interface CommitPullJson { number: number; merged_at: string | null; merge_commit_sha?: string | null; state?: string; head?: { sha: string } }
interface CommentJson { id: number; body?: string | null }
interface ContentJson { type: string; content?: string; encoding?: string }

async function client(options: RepositoryOptions): Promise<Octokit> {
  // octokit is published as ES modules only; this CommonJS project loads it dynamically.
  const { Octokit: Client } = await import("octokit");
  return new Client({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    userAgent: "server-filings-approvals",
    retry: { retryAfterBaseValue: options.retryBaseMs ?? 1000 },
    throttle: {
      onRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => retryCount < 1 && retryAfter <= MAX_RATE_LIMIT_WAIT_S,
      onSecondaryRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => retryCount < 1 && retryAfter <= MAX_RATE_LIMIT_WAIT_S,
    },
  });
}

/** The repository through octokit: its default branch, statuses, the pull requests of a commit, issues. */
export async function octokitRepository(options: RepositoryOptions): Promise<RepositoryPort> {
  const octokit = await client(options);
  const { owner, repo } = options;
  // Every page: GitHub answers 30 by default, and a commit can head more pull requests than that.
  const pullsOf = (sha: string) =>
    all<CommitPullJson>("commitPulls", `提交 ${sha.slice(0, 7)} 的 PR`, () => octokit.paginate.iterator(octokit.rest.repos.listPullRequestsAssociatedWithCommit, { owner, repo, commit_sha: sha, per_page: PER_PAGE }));
  return {
    async defaultBranch() {
      const { default_branch: name } = await one<{ default_branch: string }>("repository", `仓库 ${owner}/${repo}`, () => octokit.rest.repos.get({ owner, repo }));
      // By its full name: `ref=main` would take a tag called main just as well.
      const ref = await one<{ ref: string; object: { sha: string } }>("branchRef", `分支 ${name}`, () => octokit.rest.git.getRef({ owner, repo, ref: `heads/${name}` }));
      if (ref.ref !== `refs/heads/${name}`) {
        throw new GitHubApiError(200, `GitHub 对分支 ${name} 的回答是另一个引用（${ref.ref}）。审批未更新。`, `GitHub answered with another ref (${ref.ref}) when asked for branch ${name}. Nothing was approved.`);
      }
      return { name, sha: ref.object.sha };
    },
    async setStatus(sha, state, description): Promise<void> {
      await one("status", `提交状态 commit status ${sha.slice(0, 7)}`, () =>
        octokit.rest.repos.createCommitStatus({ owner, repo, sha, state, context: "filings/approval", description: description.slice(0, 140) }),
      );
    },
    async openIssues(label) {
      const issues = await all<IssueJson>("issues", `${owner}/${repo} 的议题 issues`, () => octokit.paginate.iterator(octokit.rest.issues.listForRepo, { owner, repo, labels: label, state: "open", per_page: PER_PAGE }));
      return issues.filter((i) => !i.pull_request).map((i) => ({ number: i.number, title: i.title, body: i.body ?? "" }));
    },
    async createIssue(issue) {
      return (await one<IssueJson>("issue", "创建议题 create issue", () => octokit.rest.issues.create({ owner, repo, ...issue }))).number;
    },
    async updateIssue(number, issue) {
      await one("issue", `更新议题 update issue #${number}`, () => octokit.rest.issues.update({ owner, repo, issue_number: number, ...issue }));
    },
    async mergedPullsFor(sha) {
      return (await pullsOf(sha)).filter((p) => p.merged_at).map((p) => p.number);
    },
    async openPullsWithHead(sha) {
      // Every open pull request, not the commit's: GitHub does not associate a commit that lives only
      // in a fork with its pull request, and a review of a fork's pull request must be judged too.
      const open = await all<{ number: number; head: { sha: string } }>("openPulls", `${owner}/${repo} 的未合并 PR`, () =>
        octokit.paginate.iterator(octokit.rest.pulls.list, { owner, repo, state: "open", per_page: PER_PAGE }));
      return open.filter((p) => p.head.sha === sha).map((p) => p.number);
    },
    async pullsMergedAs(sha) {
      return (await pullsOf(sha)).filter((p) => p.merged_at && p.merge_commit_sha === sha).map((p) => p.number);
    },
    async closeIssue(number, comment) {
      await one("comment", `评论议题 comment on issue #${number}`, () => octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: comment }));
      await one("issue", `关闭议题 close issue #${number}`, () => octokit.rest.issues.update({ owner, repo, issue_number: number, state: "closed", state_reason: "completed" }));
    },
  };
}

/** octokit (with its retry and throttling plugins) behind the GitHubPort interface. */
export async function octokitPort(options: OctokitOptions): Promise<GitHubPort> {
  const octokit = await client(options);
  const teamsClient = options.teamsToken ? await client({ ...options, token: options.teamsToken }) : octokit;
  const { owner, repo, number } = options;
  const pr = `${owner}/${repo}#${number}`;
  // One listing per folder and commit: a pull request's filings share one or two folders.
  const listings = new Map<string, Map<string, string>>();
  return {
    async pullRequest(): Promise<PullRequestInfo> {
      const data = await one<PullJson>("pull", `PR ${pr}`, () => octokit.rest.pulls.get({ owner, repo, pull_number: number }));
      if (data.number !== number) {
        throw new GitHubApiError(200, `GitHub 对 PR ${pr} 的回答是另一个 PR（#${data.number}）。审批未更新。`, `GitHub answered for another pull request (#${data.number}) when asked for ${pr}. Nothing was approved.`);
      }
      return { number: data.number, author: data.user.login, state: data.state, headSha: data.head.sha, baseSha: data.base.sha, baseRef: data.base.ref, commitCount: data.commits, changedFileCount: data.changed_files };
    },
    async changedFiles(): Promise<ChangedFile[]> {
      const files = await all<FileJson>("files", `PR ${pr} 的文件列表 files`, () => octokit.paginate.iterator(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: PER_PAGE }));
      return files.map((f) => ({ path: f.filename, status: f.status, previousPath: f.previous_filename ?? undefined }));
    },
    async commits(): Promise<Commit[]> {
      const commits = await all<CommitJson>("commits", `PR ${pr} 的提交 commits`, () => octokit.paginate.iterator(octokit.rest.pulls.listCommits, { owner, repo, pull_number: number, per_page: PER_PAGE }));
      return commits.map((c) => ({ sha: c.sha, author: c.author?.login, committer: c.committer?.login }));
    },
    async reviews(): Promise<Review[]> {
      const reviews = await all<ReviewJson>("reviews", `PR ${pr} 的审查 reviews`, () => octokit.paginate.iterator(octokit.rest.pulls.listReviews, { owner, repo, pull_number: number, per_page: PER_PAGE }));
      // A review of a deleted account (user null) can neither sign nor withdraw anyone's signature,
      // and a pending one is not submitted. One whose commit GitHub has forgotten (commit_id null) is
      // kept: it is still that person's latest word, and a later "changes requested" must withdraw an
      // earlier approval. A submitted review without its time cannot be ordered: not believed.
      const out: Review[] = [];
      for (const r of reviews) {
        if (!r.user || r.state === "PENDING") continue;
        if (!r.submitted_at) {
          throw new GitHubApiError(200, `GitHub 给出的审查 ${r.id} 没有提交时间，无法判断先后。审批未更新。`, `GitHub gave review ${r.id} without its submission time, so its order is unknown. Nothing was approved.`);
        }
        out.push({ id: r.id, user: r.user.login, state: r.state as ReviewState, commitId: r.commit_id ?? null, submittedAt: r.submitted_at });
      }
      return out;
    },
    async fileAt(ref: string, path: string): Promise<Uint8Array | undefined> {
      let answer: Answer;
      try {
        answer = await octokit.rest.repos.getContent({ owner, repo, path, ref });
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
        throw explain(err, `${path}@${ref}`);
      }
      if (Array.isArray(answer.data)) return undefined;
      const data = believe<ContentJson>("content", `${path}@${ref}`, answer);
      if (data.type !== "file") return undefined;
      if (data.encoding !== "base64" || data.content === undefined) {
        throw new GitHubApiError(answer.status, `GitHub 没有给出 ${path}@${ref} 的内容（编码 ${data.encoding ?? "无"}）。审批未更新。`, `GitHub gave no content for ${path}@${ref} (encoding ${data.encoding ?? "none"}). Nothing was approved.`);
      }
      return Buffer.from(data.content, "base64");
    },
    async entryType(ref: string, path: string): Promise<string | undefined> {
      const slash = path.lastIndexOf("/");
      const [dir, name] = [path.slice(0, Math.max(slash, 0)), path.slice(slash + 1)];
      const key = `${ref}:${dir}`;
      let listing = listings.get(key);
      if (!listing) {
        const entries = await optional<{ name: string; type: string }[]>("directory", `${dir}@${ref} 的目录`, () => octokit.rest.repos.getContent({ owner, repo, path: dir, ref }));
        if (!entries) return undefined;
        // GitHub lists at most 1000 entries of a folder and says nothing of the rest.
        if (entries.length >= 1000) {
          throw new GitHubApiError(200, `${dir} 在 ${ref.slice(0, 7)} 中有 1000 个以上的条目，GitHub 无法全部列出，不能确认其中的备案是普通文件。审批未更新；请信息中心处理。`, `${dir} at ${ref.slice(0, 7)} holds 1000 entries or more, more than GitHub lists, so its filings cannot be confirmed to be regular files. Nothing was approved; ask the information center.`);
        }
        listing = new Map(entries.map((e) => [e.name, e.type]));
        listings.set(key, listing);
      }
      return listing.get(name);
    },
    async teamMembers(team: string): Promise<string[]> {
      const [org, slug] = team.replace(/^@/, "").split("/") as [string, string];
      const members = await all<UserJson>("members", `团队 team ${team}`, () => teamsClient.paginate.iterator(teamsClient.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: PER_PAGE }));
      return members.map((m) => m.login);
    },
    async upsertComment(marker, body): Promise<boolean> {
      const comments = await all<CommentJson>("comments", `PR ${pr} 的评论 comments`, () => octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: PER_PAGE }));
      const mine = comments.find((c) => c.body?.includes(marker));
      if (mine?.body === body) return false;
      if (mine) await one("comment", "更新评论 update comment", () => octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body }));
      else await one("comment", "发表评论 create comment", () => octokit.rest.issues.createComment({ owner, repo, issue_number: number, body }));
      return true;
    },
  };
}

interface ProtectionJson {
  required_status_checks?: { contexts?: string[]; checks?: { context: string; app_id?: number | null }[]; strict?: boolean };
  enforce_admins?: { enabled: boolean };
  required_pull_request_reviews?: { require_code_owner_reviews?: boolean; dismiss_stale_reviews?: boolean; require_last_push_approval?: boolean };
  allow_force_pushes?: { enabled: boolean };
  allow_deletions?: { enabled: boolean };
}
interface EnvironmentJson {
  deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  protection_rules?: { type: string; prevent_self_review?: boolean }[];
}
interface BranchRuleJson { type: string; ruleset_id: number; parameters?: Record<string, unknown> }
interface RulesetJson {
  id: number;
  target?: string;
  enforcement: string;
  bypass_actors?: { actor_type: string; actor_id?: number | null }[];
  conditions?: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
  rules?: { type: string; parameters?: Record<string, unknown> }[];
}

/** undefined for a 404 (no such protection or environment); every other answer is believed or refused. */
async function optional<T>(kind: AnswerKind, what: string, f: () => Promise<Answer>): Promise<T | undefined> {
  let answer: Answer;
  try {
    answer = await f();
  } catch (err) {
    if ((err as { status?: number }).status === 404) return undefined;
    throw explain(err, what);
  }
  return believe<T>(kind, what, answer);
}

/** The settings `filing doctor` judges, read with a token that may read the repository's administration. */
export async function octokitSettings(options: RepositoryOptions, branch: string, environments: readonly string[]): Promise<RepositorySettings> {
  const octokit = await client(options);
  const { owner, repo } = options;
  const protection = await optional<ProtectionJson>("protection", `分支 ${branch} 的保护规则 branch protection`, () => octokit.rest.repos.getBranchProtection({ owner, repo, branch }));
  // Rulesets apply alongside classic protection; a repository may have only them (the classic endpoint then answers 404).
  const branchRules = (await optional<BranchRuleJson[]>("branchRules", `分支 ${branch} 的规则集 branch rules`, () => octokit.rest.repos.getBranchRules({ owner, repo, branch, per_page: PER_PAGE }))) ?? [];
  const tagRulesets = await all<{ id: number }>("rulesets", "标签规则集 tag rulesets", () =>
    octokit.paginate.iterator(octokit.rest.repos.getRepoRulesets, { owner, repo, targets: "tag", includes_parents: true, per_page: PER_PAGE }));
  const rulesets: Ruleset[] = [];
  for (const id of new Set([...branchRules.map((r) => r.ruleset_id), ...tagRulesets.map((r) => r.id)])) {
    const r = await one<RulesetJson>("ruleset", `规则集 ruleset ${id}`, () => octokit.rest.repos.getRepoRuleset({ owner, repo, ruleset_id: id, includes_parents: true }));
    rulesets.push({
      id: r.id,
      target: r.target ?? "branch",
      enforcement: r.enforcement,
      include: r.conditions?.ref_name?.include ?? [],
      exclude: r.conditions?.ref_name?.exclude ?? [],
      rules: r.rules ?? [],
      // GitHub shows the bypass list only to those who may edit the ruleset: unseen is not judged safe.
      bypass: r.bypass_actors?.map((b) => ({ type: b.actor_type, id: b.actor_id ?? null })),
    });
  }
  const envs: Record<string, EnvironmentSettings | undefined> = {};
  for (const name of environments) {
    const env = await optional<EnvironmentJson>("environment", `环境 environment ${name}`, () => octokit.rest.repos.getEnvironment({ owner, repo, environment_name: name }));
    if (!env) continue;
    const policy = env.deployment_branch_policy;
    let branches: EnvironmentSettings["branches"] = "all";
    if (policy?.protected_branches) branches = "protected";
    else if (policy?.custom_branch_policies) {
      const list = await one<{ branch_policies: { name: string; type?: "branch" | "tag" }[] }>("branchPolicies", `环境 ${name} 的部署分支 deployment branches`, () =>
        octokit.rest.repos.listDeploymentBranchPolicies({ owner, repo, environment_name: name, per_page: PER_PAGE }));
      branches = list.branch_policies.map((b) => ({ name: b.name, type: b.type ?? "branch" }));
    }
    const reviewers = (env.protection_rules ?? []).find((r) => r.type === "required_reviewers");
    envs[name] = { branches, requiredReviewers: reviewers !== undefined, preventSelfReview: reviewers?.prevent_self_review === true };
  }
  const perms = await one<{ default_workflow_permissions: string; can_approve_pull_request_reviews: boolean }>("workflowPermissions", "工作流权限 workflow permissions", () =>
    octokit.rest.actions.getGithubActionsDefaultWorkflowPermissionsRepository({ owner, repo }));
  const { default_branch: defaultBranch } = await one<{ default_branch: string }>("repository", `仓库 ${owner}/${repo}`, () => octokit.rest.repos.get({ owner, repo }));
  const deployedTagExists = (await optional<{ ref: string }>("tagRef", `标签 ${DEPLOYED_TAG}`, () => octokit.rest.git.getRef({ owner, repo, ref: `tags/${DEPLOYED_TAG}` }))) !== undefined;
  // Secret names only (GitHub never shows values): the repository's own, and the organization's it may use.
  const secretNames = async (what: string, pages: () => AsyncIterable<Answer>) => (await all<{ name: string }>("secretNames", what, pages)).map((x) => x.name);
  const repoSecrets = await secretNames("仓库的 secrets", () => octokit.paginate.iterator(octokit.rest.actions.listRepoSecrets, { owner, repo, per_page: PER_PAGE }));
  // A repository of a user, not an organization, has none (404).
  const orgSecrets = await secretNames("组织共享给仓库的 secrets", () => octokit.paginate.iterator(octokit.rest.actions.listRepoOrganizationSecrets, { owner, repo, per_page: PER_PAGE }))
    .catch((err: unknown): string[] => {
      if (err instanceof GitHubApiError && err.status === 404) return [];
      throw err;
    });
  const places: Record<string, string[]> = { repository: repoSecrets, organization: orgSecrets };
  const allEnvironments = await all<{ name: string }>("environments", "环境列表 environments", () => octokit.paginate.iterator(octokit.rest.repos.getAllEnvironments, { owner, repo, per_page: PER_PAGE }));
  for (const { name } of allEnvironments) {
    places[name] = await secretNames(`环境 ${name} 的 secrets`, () => octokit.paginate.iterator(octokit.rest.actions.listEnvironmentSecrets, { owner, repo, environment_name: name, per_page: PER_PAGE }));
  }
  const exposedSecrets = misplacedSecrets(places);
  const checks = protection?.required_status_checks;
  return {
    defaultBranch,
    deployedTagExists,
    exposedSecrets,
    protection: protection && {
      checks: checks?.checks?.map((c) => ({ context: c.context, appId: c.app_id ?? null })) ?? (checks?.contexts ?? []).map((context) => ({ context, appId: null })),
      strict: checks?.strict === true,
      enforceAdmins: protection.enforce_admins?.enabled === true,
      codeOwnerReviews: protection.required_pull_request_reviews?.require_code_owner_reviews === true,
      dismissStaleReviews: protection.required_pull_request_reviews?.dismiss_stale_reviews === true,
      requireLastPushApproval: protection.required_pull_request_reviews?.require_last_push_approval === true,
      // Absent means GitHub's default: neither allowed.
      allowForcePushes: protection.allow_force_pushes?.enabled === true,
      allowDeletions: protection.allow_deletions?.enabled === true,
    },
    branchRules: branchRules.map((r) => ({ type: r.type, parameters: r.parameters, rulesetId: r.ruleset_id })),
    rulesets,
    environments: envs,
    workflowPermissions: { defaultPermissions: perms.default_workflow_permissions, canApprovePullRequestReviews: perms.can_approve_pull_request_reviews },
  };
}
