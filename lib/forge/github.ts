import type { Octokit } from "octokit" with { "resolution-mode": "import" };
import { GitHubApiError } from "../errors";
import { believe, type Answer } from "../github/answers";
import { changesOf, configAt, evaluatePull } from "../github/check";
import { octokitPort, octokitRepository, type RepositoryOptions } from "../github/octokit";
import { closedState, StaleFileError, withdrawnTitle, type DeskForge, type ForgeSession, type HeadCheck, type OpenedPull, type PullProposal, type PullSummary } from "./desk";

/**
 * The desk's forge on GitHub (or GitHub Enterprise Server): sign-in through the OAuth web flow of
 * the school's GitHub App, whose user token acts with the person's own rights, so that the branch,
 * the commit and the pull request are theirs; the App needs contents and pull requests (write) on the
 * register's repository and members (read) on the organisation. Every answer is checked before it is
 * believed (lib/github/answers.ts, as for the gate); anything unexpected fails closed.
 */

export interface GitHubDeskOptions {
  /** https://github.com, or the Enterprise Server's address. */
  readonly webUrl: string;
  /** https://api.github.com, or the Enterprise Server's …/api/v3. */
  readonly apiUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The register's repository, `owner/name`. */
  readonly repository: string;
}

const TOKEN = /^[A-Za-z0-9_.-]{20,255}$/;
/** How many of the register's pull requests, newest first, are read for a person's own list. */
const ALL_PULLS_READ = 500;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function githubForge(options: GitHubDeskOptions, fetchImpl: typeof fetch = fetch): DeskForge {
  const [owner, repo] = options.repository.split("/");
  if (!owner || !repo) throw new Error(`repository must be owner/name, got ${options.repository}`);
  const web = options.webUrl.replace(/\/+$/, "");
  return {
    kind: "github",
    signInUrl: (state, redirectUri) => `${web}/login/oauth/authorize?${new URLSearchParams({ client_id: options.clientId, redirect_uri: redirectUri, state })}`,
    async tokenFor(code, redirectUri) {
      const res = await fetchImpl(`${web}/login/oauth/access_token`, {
        method: "POST",
        headers: { accept: "application/json", "content-type": "application/json" },
        body: JSON.stringify({ client_id: options.clientId, client_secret: options.clientSecret, code, redirect_uri: redirectUri }),
      });
      const body: unknown = await res.json().catch(() => undefined);
      // The web flow's page is no REST answer: an error comes back as 200 with `error`, and only a
      // token of a token's shape is taken.
      if (!res.ok || !isObject(body) || typeof body.access_token !== "string" || !TOKEN.test(body.access_token) || "error" in body) {
        throw new GitHubApiError(res.status, "GitHub 对登录（OAuth）的回答不符合预期，未登录。请稍后重试或联系信息中心。", "GitHub's answer to the sign-in (OAuth) was not what it documents; not signed in. Try again later or ask the information center.");
      }
      return body.access_token;
    },
    session: (token) => session(async () => {
      // octokit is published as ES modules only; this CommonJS project loads it dynamically.
      const { Octokit: Client } = await import("octokit");
      return new Client({ auth: token, baseUrl: options.apiUrl.replace(/\/+$/, ""), userAgent: "server-filings-desk", retry: { enabled: false }, throttle: { enabled: false } });
    }, owner, repo, { token, baseUrl: options.apiUrl.replace(/\/+$/, ""), owner, repo }),
  };
}

/** Every answer through lib/github/answers.ts's believe, as the gate reads GitHub: a shape nobody documented stops the action. */
function session(client: () => Promise<Octokit>, owner: string, repo: string, gate: RepositoryOptions): ForgeSession {
  let made: Promise<Octokit> | undefined;
  const get = () => (made ??= client());
  /** The blob id of `path` at commit `sha`, or undefined when the commit has no such file. */
  const fileAt = async (octokit: Octokit, path: string, sha: string): Promise<string | undefined> => {
    try {
      return believe<{ sha: string }>("existingFile", `${path}@${sha}`, await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, ref: sha })).sha;
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw e;
    }
  };
  const listed = async (state: "open" | "all"): Promise<PullSummary[]> => {
    type Listed = { number: number; title: string; html_url: string; user: { login: string } | null; state: "open" | "closed"; merged_at?: string | null; created_at?: string; head: { ref: string } };
    // Every open one (a filing's waiting request past the first page would go unseen); of all, the newest pages.
    const octokit = await get();
    const pulls: Listed[] = [];
    for await (const page of octokit.paginate.iterator("GET /repos/{owner}/{repo}/pulls", { owner, repo, state, per_page: 100, sort: "created", direction: "desc" })) {
      pulls.push(...believe<Listed[]>("pullList", `${owner}/${repo}`, page as unknown as Answer));
      if (state === "all" && pulls.length >= ALL_PULLS_READ) break;
    }
    const out: PullSummary[] = pulls.map((p) => ({ number: p.number, title: p.title, url: p.html_url, author: p.user?.login ?? "", state: p.merged_at ? "merged" : p.state === "open" ? "open" : closedState(p.title), branch: p.head.ref, createdAt: p.created_at ?? "" }));
    return out.sort((a, b) => b.number - a.number);
  };
  return {
    async account() {
      const user = believe<{ login: string; name?: string | null }>("user", "当前用户 / the signed-in user", await (await get()).request("GET /user"));
      return { login: user.login, ...(user.name ? { name: user.name } : {}) };
    },
    async isTeamMember(team, login) {
      const [org, slug] = team.replace(/^@/, "").split("/");
      if (!org || !slug) return false;
      try {
        const m = believe<{ state: "active" | "pending" }>("membership", `${team}`, await (await get()).request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", { org, team_slug: slug, username: login }));
        // A pending invitation is no membership yet.
        return m.state === "active";
      } catch (e) {
        if ((e as { status?: number }).status === 404) return false;
        throw e;
      }
    },
    async openPull(p: PullProposal): Promise<OpenedPull> {
      const octokit = await get();
      // The default branch and its head as the gate reads them (a branch, never a tag of that name).
      const { name: base, sha: head } = await (await octokitRepository(gate)).defaultBranch();
      // Each file as the head of the default branch holds it, before anything is written: a file
      // changed (or filed) since the form was filled is not overwritten.
      const current = new Map<string, string | undefined>();
      for (const f of p.files) {
        const held = await fileAt(octokit, f.path, head);
        if (held !== f.basedOn) throw new StaleFileError(f.path);
        current.set(f.path, held);
      }
      try {
        await octokit.request("POST /repos/{owner}/{repo}/git/refs", { owner, repo, ref: `refs/heads/${p.branch}`, sha: head });
      } catch (e) {
        // Someone made a branch of this name first: said, with nothing written.
        if ((e as { status?: number }).status === 422) throw new GitHubApiError(422, `分支 ${p.branch} 已经存在，申请没有提交。请稍等一分钟再提交一次（分支名带有提交时间）。`, `The branch ${p.branch} exists already; nothing was submitted. Submit again in a minute (the branch name carries the time).`);
        throw e;
      }
      for (const f of p.files) {
        const sha = current.get(f.path);
        await octokit.request("PUT /repos/{owner}/{repo}/contents/{path}", { owner, repo, path: f.path, message: p.message, content: Buffer.from(f.content, "utf8").toString("base64"), branch: p.branch, ...(sha ? { sha } : {}) });
      }
      const pull = believe<{ number: number; html_url: string }>("createdPull", p.branch, await octokit.request("POST /repos/{owner}/{repo}/pulls", { owner, repo, title: p.title, body: p.body, head: p.branch, base }));
      return { number: pull.number, url: pull.html_url, branch: p.branch };
    },
    async pullsBy(login) {
      return (await listed("all")).filter((p) => p.author === login);
    },
    async openPulls() {
      return listed("open");
    },
    async proposedFile(pull, path) {
      const bytes = await (await octokitPort({ ...gate, number: pull.number })).fileAt(pull.branch, path);
      return bytes === undefined ? undefined : Buffer.from(bytes).toString("utf8");
    },
    async closePull(number, title) {
      const closed = believe<{ number: number; state: string; title: string }>("closedPull", `PR #${number}`, await (await get()).request("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: number, state: "closed", title: withdrawnTitle(title) }));
      if (closed.number !== number || closed.state !== "closed") throw new GitHubApiError(200, `GitHub 没有确认撤回 PR #${number}。`, `GitHub did not confirm closing PR #${number}.`);
    },
    async judge(pull, today) {
      // The gate's own adapter and evaluator, with this person's token (read access suffices).
      const port = await octokitPort({ ...gate, number: pull.number });
      const info = await port.pullRequest();
      const main = await (await octokitRepository(gate)).defaultBranch();
      if (info.baseRef !== main.name) throw new GitHubApiError(200, `PR #${pull.number} 不是合并到默认分支 ${main.name} 的申请。`, `PR #${pull.number} does not target the default branch ${main.name}.`);
      const changes = await changesOf(port, info);
      const configFiles = await configAt(port, main.sha);
      const { evaluation } = await evaluatePull(port, info, { configFiles, configFrom: `${main.name}（${main.sha.slice(0, 7)}）`, changes }, today);
      return { pull, evaluation, checks: await checksOf(await get(), owner, repo, info.headSha) };
    },
  };
}

/**
 * The head commit's checks: its commit statuses (the gate's `filings/approval`) and check runs (the
 * workflows' jobs), each as passed, failed or still running.
 */
async function checksOf(octokit: Octokit, owner: string, repo: string, sha: string): Promise<HeadCheck[]> {
  const combined = believe<{ statuses: { context: string; state: "success" | "failure" | "error" | "pending" }[] }>("combinedStatus", `${sha} 的状态 / statuses`, await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/status", { owner, repo, ref: sha, per_page: 100 }));
  const runs = believe<{ check_runs: { name: string; status: string; conclusion: string | null }[] }>("checkRuns", `${sha} 的检查 / check runs`, await octokit.request("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", { owner, repo, ref: sha, per_page: 100 }));
  return [
    ...combined.statuses.map((s): HeadCheck => ({ name: s.context, state: s.state === "success" ? "success" : s.state === "pending" ? "pending" : "failure" })),
    ...runs.check_runs.map((r): HeadCheck => ({ name: r.name, state: r.status !== "completed" ? "pending" : r.conclusion === "success" || r.conclusion === "neutral" || r.conclusion === "skipped" ? "success" : "failure" })),
  ];
}
