import type { Octokit } from "octokit" with { "resolution-mode": "import" };
import type { Commit, Review, ReviewState } from "../approvals/evaluate";
import { GitHubApiError, type ChangedFile, type GitHubPort, type IssuesPort, type PullRequestInfo } from "./port";

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
    throw explain(err, what);
  }
}

function login(u: { login?: string } | null | undefined): string | undefined {
  return u?.login ?? undefined;
}

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

/** Repository issues through octokit. */
export async function octokitIssues(options: RepositoryOptions): Promise<IssuesPort> {
  const octokit = await client(options);
  const { owner, repo } = options;
  return {
    async openIssues(label) {
      const issues = await call(`${owner}/${repo} 的议题 issues`, () => octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: label, state: "open", per_page: PER_PAGE }));
      return issues.filter((i) => !i.pull_request).map((i) => ({ number: i.number, title: i.title, body: i.body ?? "" }));
    },
    async createIssue(issue) {
      const { data } = await call("创建议题 create issue", () => octokit.rest.issues.create({ owner, repo, ...issue }));
      return data.number;
    },
    async updateIssue(number, issue) {
      await call(`更新议题 update issue #${number}`, () => octokit.rest.issues.update({ owner, repo, issue_number: number, ...issue }));
    },
    async mergedPullsFor(sha) {
      const { data } = await call(`提交 ${sha.slice(0, 7)} 的 PR`, () => octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha }));
      return data.filter((p) => p.merged_at).map((p) => p.number);
    },
    async closeIssue(number, comment) {
      await call(`评论议题 comment on issue #${number}`, () => octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: comment }));
      await call(`关闭议题 close issue #${number}`, () => octokit.rest.issues.update({ owner, repo, issue_number: number, state: "closed", state_reason: "completed" }));
    },
  };
}

/** octokit (with its retry and throttling plugins) behind the GitHubPort interface. */
export async function octokitPort(options: OctokitOptions): Promise<GitHubPort> {
  const octokit = await client(options);
  const teamsClient = options.teamsToken ? await client({ ...options, token: options.teamsToken }) : octokit;
  const { owner, repo, number } = options;
  const pr = `${owner}/${repo}#${number}`;
  return {
    async pullRequest(): Promise<PullRequestInfo> {
      const { data } = await call(`PR ${pr}`, () => octokit.rest.pulls.get({ owner, repo, pull_number: number }));
      return { number: data.number, author: data.user.login, headSha: data.head.sha, baseSha: data.base.sha, baseRef: data.base.ref };
    },
    async changedFiles(): Promise<ChangedFile[]> {
      const files = await call(`PR ${pr} 的文件列表 files`, () => octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: PER_PAGE }));
      return files.map((f) => ({ path: f.filename, status: f.status, previousPath: f.previous_filename ?? undefined }));
    },
    async commits(): Promise<Commit[]> {
      const commits = await call(`PR ${pr} 的提交 commits`, () => octokit.paginate(octokit.rest.pulls.listCommits, { owner, repo, pull_number: number, per_page: PER_PAGE }));
      return commits.map((c) => ({ sha: c.sha, author: login(c.author), committer: login(c.committer) }));
    },
    async reviews(): Promise<Review[]> {
      const reviews = await call(`PR ${pr} 的审查 reviews`, () => octokit.paginate(octokit.rest.pulls.listReviews, { owner, repo, pull_number: number, per_page: PER_PAGE }));
      return reviews.flatMap((r) =>
        r.user && r.commit_id && r.submitted_at
          ? [{ id: r.id, user: r.user.login, state: r.state as ReviewState, commitId: r.commit_id, submittedAt: r.submitted_at }]
          : [],
      );
    },
    async fileAt(ref: string, path: string): Promise<Uint8Array | undefined> {
      try {
        const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref });
        if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
        return Buffer.from(data.content, "base64");
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
        throw explain(err, `${path}@${ref}`);
      }
    },
    async teamMembers(team: string): Promise<string[]> {
      const [org, slug] = team.replace(/^@/, "").split("/") as [string, string];
      const members = await call(`团队 team ${team}`, () => teamsClient.paginate(teamsClient.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: PER_PAGE }));
      return members.map((m) => m.login);
    },
    async setStatus(sha, state, description): Promise<void> {
      await call(`提交状态 commit status ${sha.slice(0, 7)}`, () =>
        octokit.rest.repos.createCommitStatus({ owner, repo, sha, state, context: "filings/approval", description: description.slice(0, 140) }),
      );
    },
    async upsertComment(marker, body): Promise<void> {
      const comments = await call(`PR ${pr} 的评论 comments`, () => octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: PER_PAGE }));
      const mine = comments.find((c) => c.body?.includes(marker));
      if (mine) await call("更新评论 update comment", () => octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body }));
      else await call("发表评论 create comment", () => octokit.rest.issues.createComment({ owner, repo, issue_number: number, body }));
    },
  };
}
