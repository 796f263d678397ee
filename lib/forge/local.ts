import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { classifyChanges, isFilingPath } from "../approvals/classify";
import { evaluateApprovals, teamsToResolve, type Evaluation, type Review } from "../approvals/evaluate";
import { parseConfig } from "../config/parse";
import { readConfigFiles } from "../config/read";
import { UsageError } from "../errors";
import type { IsoDate } from "../filings/dates";
import { msg } from "../messages";
import { blobSha, StaleFileError, withdrawnTitle, type DeskForge, type ForgeSession, type OpenedPull, type ProposedFile, type PullProposal, type PullSummary } from "./desk";

/**
 * The desk's built-in forge for trying it on a fresh clone: no sign-in service and no server. A
 * person signs in by choosing who they are; a team's member is the login named after the team
 * (`jwc-staff` for `@campus/jwc-staff`); a pull request is a JSON file under `.desk/pulls/` in the
 * checkout, holding its branch name, body and files. Nothing is pushed anywhere.
 */

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,38}$/;
const TOKEN_PREFIX = "local:";

interface StoredPull extends PullSummary {
  readonly body: string;
  readonly files: readonly ProposedFile[];
  /** Approvals given on the local pull request's page (local trial mode has no forge to review on). */
  readonly reviews?: readonly Review[];
  /**
   * The verdict it took effect with: once merged, the checkout holds its files, and judging them
   * against themselves again would read as no change with no signature needed.
   */
  readonly merged?: Evaluation;
}

/** The local pull request's one commit: its content's id, so that an approval names what it approved. */
function headOf(pull: StoredPull): string {
  return crypto.createHash("sha1").update(JSON.stringify(pull.files)).digest("hex");
}

/**
 * A local pull request judged by the gate's evaluator: its files against the checkout (the default
 * branch), its approvals, and each team's member the login named after the team.
 */
function judged(root: string, pull: StoredPull, today: IsoDate): Evaluation {
  if (pull.merged) return pull.merged;
  const parsed = parseConfig(readConfigFiles(root));
  if (!parsed.loaded) throw new UsageError(msg("本地仓库的机构配置有错误，无法判断审批。请先运行 filing validate。", "The checkout's institution config has errors; approvals cannot be judged. Run filing validate first."));
  const config = parsed.loaded.config;
  const versions = pull.files.map((f) => {
    const at = path.join(root, f.path);
    return { path: f.path, ...(fs.existsSync(at) ? { base: { path: f.path, bytes: fs.readFileSync(at) } } : {}), head: { path: f.path, bytes: Buffer.from(f.content, "utf8") } };
  });
  const classification = classifyChanges(pull.files.map((f) => f.path), versions);
  const teams = new Map<string, Set<string>>();
  for (const team of teamsToResolve(classification, config)) teams.set(team, new Set([team.split("/").pop()!]));
  const head = headOf(pull);
  return evaluateApprovals({ classification, pr: { number: pull.number, author: pull.author, headSha: head, commits: [{ sha: head, author: pull.author, committer: pull.author }], reviews: pull.reviews ?? [] }, config, teams, today });
}

/**
 * An approval of a local pull request by `login`, as a review on the forge would be: it counts only
 * where the gate's evaluator counts it. Local trial mode only.
 */
export function localApprove(root: string, number: number, login: string, now: Date): boolean {
  const pull = localPull(root, number);
  if (!pull || pull.state !== "open" || !LOGIN.test(login)) return false;
  const reviews = [...(pull.reviews ?? []), { id: (pull.reviews?.length ?? 0) + 1, user: login, state: "APPROVED" as const, commitId: headOf(pull), submittedAt: now.toISOString() }];
  write(root, { ...pull, reviews });
  return true;
}

/**
 * The merge of a local pull request whose every signature is in (the caller judged it), as the
 * information center would merge it on the forge: its files written into the checkout, which is the
 * default branch here, and the request marked merged. Only filing files are written. Local trial
 * mode only.
 */
export function localMerge(root: string, number: number, today: IsoDate): boolean {
  const pull = localPull(root, number);
  if (!pull || pull.state !== "open" || !pull.files.every((f) => isFilingPath(f.path) && !f.path.includes(".."))) return false;
  // A file changed since the request was made would be overwritten: the forge would call it a conflict.
  const held = (f: { path: string }) => (fs.existsSync(path.join(root, f.path)) ? blobSha(fs.readFileSync(path.join(root, f.path), "utf8")) : undefined);
  if (pull.files.some((f) => f.basedOn !== undefined && held(f) !== f.basedOn)) return false;
  const verdict = judged(root, pull, today);
  if (!verdict.satisfied) return false;
  for (const f of pull.files) {
    const file = path.join(root, f.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.content);
  }
  write(root, { ...pull, state: "merged", merged: verdict });
  return true;
}

/** A local pull request written whole, then renamed into place. */
function write(root: string, pull: StoredPull): void {
  const file = path.join(root, ".desk", "pulls", `${pull.number}.json`);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(pull, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

export function localForge(root: string): DeskForge {
  const dir = path.join(root, ".desk", "pulls");
  const all = (): StoredPull[] => {
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => /^\d+\.json$/.test(f)).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as StoredPull);
  };
  const session = (login: string): ForgeSession => ({
    account: async () => ({ login }),
    // A team stands for the login named after it (`@campus/tsg-staff` → tsg-staff), whoever asks.
    isTeamMember: async (team, who) => team.split("/").pop() === who,
    async openPull(p: PullProposal): Promise<OpenedPull> {
      const pulls = all();
      if (pulls.some((x) => x.branch === p.branch && x.state === "open")) {
        throw new UsageError(msg(`分支 ${p.branch} 已有一个未合并的申请。`, `Branch ${p.branch} already has an open pull request.`));
      }
      // The checkout stands for the default branch: a file changed (or made) since the form was filled is not overwritten.
      for (const f of p.files) {
        const at = path.join(root, f.path);
        const now = fs.existsSync(at) ? blobSha(fs.readFileSync(at, "utf8")) : undefined;
        if (now !== f.basedOn) throw new StaleFileError(f.path);
      }
      const number = Math.max(0, ...pulls.map((x) => x.number)) + 1;
      const stored: StoredPull = { number, title: p.title, url: `/local/pulls/${number}`, author: login, state: "open", branch: p.branch, createdAt: new Date().toISOString(), body: p.body, files: p.files };
      fs.mkdirSync(dir, { recursive: true });
      // Written whole, then renamed: a crash never leaves half a pull request.
      const file = path.join(dir, `${number}.json`);
      fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(stored, null, 2)}\n`, { flag: "wx" });
      fs.renameSync(`${file}.tmp`, file);
      return { number, url: stored.url, branch: p.branch };
    },
    pullsBy: async (who) => all().filter((x) => x.author === who).sort((a, b) => b.number - a.number).map(({ body: _b, files: _f, reviews: _r, ...summary }) => summary),
    openPulls: async () => all().filter((x) => x.state === "open").sort((a, b) => b.number - a.number).map(({ body: _b, files: _f, reviews: _r, ...summary }) => summary),
    async proposedFile(summary, path) {
      return localPull(root, summary.number)?.files.find((f) => f.path === path)?.content;
    },
    async closePull(number) {
      const pull = localPull(root, number);
      if (!pull || pull.author !== login || pull.state !== "open") throw new UsageError(msg(`不能撤回申请 #${number}。`, `Request #${number} cannot be withdrawn.`));
      write(root, { ...pull, title: withdrawnTitle(pull.title), state: "withdrawn" });
    },
    async judge(summary, today) {
      const pull = localPull(root, summary.number);
      if (!pull) throw new UsageError(msg(`没有申请 #${summary.number}。`, `No request #${summary.number}.`));
      return { pull: summary, evaluation: judged(root, pull, today), checks: [] };
    },
  });
  return {
    kind: "local",
    signInUrl: (state, redirectUri) => `/local/sign-in?${new URLSearchParams({ state, redirect_uri: redirectUri })}`,
    async tokenFor(code) {
      if (!LOGIN.test(code)) throw new UsageError(msg("登录信息无效。", "Invalid sign-in."));
      // Logins are one whatever their case, as on the forges: Info-Center-Heads is info-center-heads.
      return `${TOKEN_PREFIX}${code.toLowerCase()}`;
    },
    session(token) {
      const login = token.startsWith(TOKEN_PREFIX) ? token.slice(TOKEN_PREFIX.length) : "";
      if (!LOGIN.test(login)) throw new UsageError(msg("登录信息无效。", "Invalid sign-in."));
      return session(login);
    },
  };
}

/** A local pull request with its files, for the desk's page that shows it. */
export function localPull(root: string, number: number): StoredPull | undefined {
  const file = path.join(root, ".desk", "pulls", `${number}.json`);
  return Number.isInteger(number) && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as StoredPull) : undefined;
}
