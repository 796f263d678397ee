import type { Octokit } from "octokit" with { "resolution-mode": "import" };
import { GitHubApiError } from "../errors";
import type { DeskForge, ForgeSession, OpenedPull, PullProposal, PullSummary } from "./desk";

/**
 * The desk's forge on GitHub (or GitHub Enterprise Server): sign-in through the OAuth web flow of
 * the school's GitHub App, whose user token acts with the person's own rights, so that the branch,
 * the commit and the pull request are theirs; the App needs contents and pull requests (write) on the
 * register's repository and members (read) on the organisation. Every answer is checked before it is
 * believed; anything unexpected fails closed.
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

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const TOKEN = /^[A-Za-z0-9_.-]{20,255}$/;

function unexpected(what: string): GitHubApiError {
  return new GitHubApiError(200, `GitHub 对${what}的回答不符合预期，已停止，没有做任何修改。请稍后重试或联系信息中心。`, `GitHub's answer for ${what} was not what it documents; stopped, nothing changed. Try again later or ask the information center.`);
}

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
      // An error comes back as 200 with `error`; only a token of a token's shape is taken.
      if (!res.ok || !isObject(body) || typeof body.access_token !== "string" || !TOKEN.test(body.access_token) || "error" in body) throw unexpected("登录（OAuth）");
      return body.access_token;
    },
    session: (token) => session(async () => {
      // octokit is published as ES modules only; this CommonJS project loads it dynamically.
      const { Octokit: Client } = await import("octokit");
      return new Client({ auth: token, baseUrl: options.apiUrl.replace(/\/+$/, ""), userAgent: "server-filings-desk", retry: { enabled: false }, throttle: { enabled: false } });
    }, owner, repo),
  };
}

function session(client: () => Promise<Octokit>, owner: string, repo: string): ForgeSession {
  let made: Promise<Octokit> | undefined;
  const get = () => (made ??= client());
  return {
    async account() {
      const { data } = await (await get()).request("GET /user");
      if (!isObject(data) || typeof data.login !== "string" || !LOGIN.test(data.login)) throw unexpected("当前用户");
      return { login: data.login, ...(typeof data.name === "string" && data.name ? { name: data.name } : {}) };
    },
    async isTeamMember(team, login) {
      const [org, slug] = team.replace(/^@/, "").split("/");
      if (!org || !slug) return false;
      try {
        const { data } = await (await get()).request("GET /orgs/{org}/teams/{team_slug}/memberships/{username}", { org, team_slug: slug, username: login });
        if (!isObject(data) || (data.state !== "active" && data.state !== "pending")) throw unexpected("团队成员");
        // A pending invitation is no membership yet.
        return data.state === "active";
      } catch (e) {
        if ((e as { status?: number }).status === 404) return false;
        throw e;
      }
    },
    async openPull(p: PullProposal): Promise<OpenedPull> {
      const { data: repository } = await (await get()).request("GET /repos/{owner}/{repo}", { owner, repo });
      const base = isObject(repository) && typeof repository.default_branch === "string" ? repository.default_branch : undefined;
      if (!base) throw unexpected("仓库");
      const { data: ref } = await (await get()).request("GET /repos/{owner}/{repo}/git/ref/{ref}", { owner, repo, ref: `heads/${base}` });
      const sha = isObject(ref) && isObject(ref.object) && typeof ref.object.sha === "string" && /^[0-9a-f]{40}$/.test(ref.object.sha) ? ref.object.sha : undefined;
      if (!sha) throw unexpected("默认分支");
      await (await get()).request("POST /repos/{owner}/{repo}/git/refs", { owner, repo, ref: `refs/heads/${p.branch}`, sha });
      for (const f of p.files) {
        await (await get()).request("PUT /repos/{owner}/{repo}/contents/{path}", { owner, repo, path: f.path, message: p.message, content: Buffer.from(f.content, "utf8").toString("base64"), branch: p.branch });
      }
      const { data: pull } = await (await get()).request("POST /repos/{owner}/{repo}/pulls", { owner, repo, title: p.title, body: p.body, head: p.branch, base });
      if (!isObject(pull) || typeof pull.number !== "number" || !Number.isInteger(pull.number) || typeof pull.html_url !== "string" || !/^https?:\/\//.test(pull.html_url)) throw unexpected("新建拉取请求");
      return { number: pull.number, url: pull.html_url, branch: p.branch };
    },
    async pullsBy(login) {
      const { data } = await (await get()).request("GET /repos/{owner}/{repo}/pulls", { owner, repo, state: "all", per_page: 100 });
      if (!Array.isArray(data)) throw unexpected("拉取请求列表");
      const out: PullSummary[] = [];
      for (const p of data as unknown[]) {
        if (!isObject(p) || !isObject(p.user) || p.user.login !== login) continue;
        if (typeof p.number !== "number" || typeof p.title !== "string" || typeof p.html_url !== "string" || !isObject(p.head) || typeof p.head.ref !== "string") throw unexpected("拉取请求列表");
        out.push({ number: p.number, title: p.title, url: p.html_url, author: login, state: p.merged_at ? "merged" : p.state === "open" ? "open" : "closed", branch: p.head.ref, createdAt: typeof p.created_at === "string" ? p.created_at : "" });
      }
      return out.sort((a, b) => b.number - a.number);
    },
  };
}
