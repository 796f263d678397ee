import { classifyChanges, isFilingPath, type ChangeSet, type FileVersions, type VerdictInputs } from "../approvals/classify";
import { evaluateApprovals, teamsToResolve, type Evaluation } from "../approvals/evaluate";
import { CONFIG_SOURCE_PATHS, type InstitutionConfig } from "../config/model";
import { parseConfig } from "../config/parse";
import { ConfigurationError, FilingToolError, GitHubApiError, RefusedError } from "../errors";
import { msg } from "../messages";
import { COMMENT_MARKER, formatApprovalComment } from "../output/approvals";
import { namesOf } from "../names";
import { problemLine } from "../output/problems";
import type { SourceFile } from "../yaml/strict";
import type { GitHubPort, PullRequestInfo, RepositoryPort } from "./port";

/**
 * The approval gate's GitHub side (DESIGN §5, §13). A commit status belongs to a commit, a verdict to
 * a pull request: the status of a head commit is the verdict on every open pull request into the
 * default branch that it heads, green only when each of them is, and never the verdict on a pull
 * request into another branch. The rules are read from the default branch's current commit; the
 * files, commits and reviews from GitHub, whose lists are believed only when complete.
 */

export interface PullCheck {
  readonly pr: PullRequestInfo;
  readonly evaluation: Evaluation;
  readonly comment: string;
  /**
   * The approval comment was written anew: the verdict reads differently from the last run's (a
   * run for a push or a review that changed nothing leaves it). Notifications follow it, so that
   * a group hears of a request once per change, not once per event. False in a dry run.
   */
  readonly told: boolean;
}

export interface HeadCheck {
  readonly headSha: string;
  /** The pull requests into the default branch that this commit heads, each judged. */
  readonly pulls: readonly PullCheck[];
  /** Open pull requests with this head into another branch: not judged, and no part of the status. */
  readonly skipped: readonly { readonly number: number; readonly baseRef: string }[];
  /** True only when at least one pull request was judged and every one is satisfied. */
  readonly satisfied: boolean;
  /** The pull request asked for has moved past the head its event named: nothing judged, no status. */
  readonly stale?: boolean;
}

/** `--pr N` (a pull-request event) or `--head-sha S` (a review event, which names only the commit). */
export type ApprovalTarget = { readonly pr: number; readonly expectHead?: string } | { readonly headSha: string };

async function source(port: GitHubPort, ref: string, path: string): Promise<SourceFile | undefined> {
  const bytes = await port.fileAt(ref, path);
  return bytes ? { path, bytes } : undefined;
}

/**
 * A filing the pull request adds or changes, as it leaves it. GitHub serves a symbolic link's target
 * as if it were the file; the register reads no links (a linked filing is a deleted one), so a link,
 * or anything but a regular file, is read as empty, which no filing parses from.
 */
async function regularFile(port: GitHubPort, ref: string, path: string): Promise<SourceFile> {
  // The file list says it is there: missing from its folder's listing, it reads as empty, never as deleted.
  const empty = { path, bytes: new Uint8Array() };
  if ((await port.entryType(ref, path)) !== "file") return empty;
  return (await source(port, ref, path)) ?? empty;
}

/** The institution config files at `ref` (a commit sha). */
export async function configAt(port: GitHubPort, ref: string): Promise<Map<string, SourceFile>> {
  const files = new Map<string, SourceFile>();
  for (const path of CONFIG_SOURCE_PATHS) {
    const file = await source(port, ref, path);
    if (file) files.set(path, file);
  }
  return files;
}

/**
 * What the pull request changes, from GitHub's file list and both versions of each filing. GitHub
 * lists at most 3000 files; a file past the list would never be judged, so a list shorter than the
 * pull request's own count is refused, never trusted.
 */
export async function changesOf(port: GitHubPort, pr: PullRequestInfo): Promise<ChangeSet> {
  const files = await port.changedFiles();
  if (files.length !== pr.changedFileCount) {
    throw new GitHubApiError(
      200,
      `PR #${pr.number} 修改了 ${pr.changedFileCount} 个文件，GitHub 只列出了 ${files.length} 个（上限 3000），未列出的文件无法审查，因此不能判断审批。请拆分为多个较小的 PR。`,
      `PR #${pr.number} changes ${pr.changedFileCount} files but GitHub listed ${files.length} (it lists at most 3000); files not listed cannot be judged, so approvals cannot be. Split the pull request into smaller ones.`,
    );
  }
  const versions: FileVersions[] = [];
  const changedPaths: string[] = [];
  for (const f of files) {
    if (f.previousPath && f.previousPath !== f.path) {
      changedPaths.push(f.previousPath);
      if (isFilingPath(f.previousPath)) versions.push({ path: f.previousPath, base: await source(port, pr.baseSha, f.previousPath) });
    }
    changedPaths.push(f.path);
    if (!isFilingPath(f.path)) continue;
    const renamed = f.previousPath !== undefined && f.previousPath !== f.path;
    versions.push({
      path: f.path,
      base: f.status === "added" || renamed ? undefined : await source(port, pr.baseSha, f.path),
      head: f.status === "removed" ? undefined : await regularFile(port, pr.headSha, f.path),
    });
  }
  return { changedPaths, versions };
}

/**
 * One pull request judged against `inputs`: its commits and reviews from GitHub (a commit list cut
 * at GitHub's 250 is refused), team membership as it is now.
 */
export async function evaluatePull(port: GitHubPort, pr: PullRequestInfo, inputs: VerdictInputs, today: string | undefined): Promise<{ evaluation: Evaluation; config: InstitutionConfig }> {
  const parsed = parseConfig({ files: new Map(inputs.configFiles) });
  if (!parsed.loaded) {
    throw new ConfigurationError(msg(
      `${inputs.configFrom} 上的机构配置有错误，无法判断审批：\n${parsed.problems.map((p) => problemLine(p, "zh")).join("\n")}`,
      `The institution config on ${inputs.configFrom} has errors, so approvals cannot be judged:\n${parsed.problems.map((p) => problemLine(p, "en")).join("\n")}`,
    ));
  }
  const config = parsed.loaded.config;
  const classification = classifyChanges(inputs.changes.changedPaths, inputs.changes.versions);
  const teams = new Map<string, Set<string>>();
  for (const team of teamsToResolve(classification, config)) {
    teams.set(team, new Set((await port.teamMembers(team)).map((l) => l.toLowerCase())));
  }
  const [commits, reviews] = [await port.commits(), await port.reviews()];
  // GitHub lists at most 250 commits of a pull request. A committer past the 250th would be
  // invisible and could sign for their own change, so a short list is refused, never trusted.
  if (commits.length !== pr.commitCount) {
    throw new GitHubApiError(
      200,
      `PR #${pr.number} 有 ${pr.commitCount} 个提交，GitHub 只列出了 ${commits.length} 个（上限 250），无法确认每一位提交人，因此不能判断审批。请把提交合并（squash）为较少的提交后重新推送，或拆分为多个 PR。`,
      `PR #${pr.number} has ${pr.commitCount} commits but GitHub listed ${commits.length} (it lists at most 250), so not every committer can be known and approvals cannot be judged. Squash the commits and push again, or split the pull request.`,
    );
  }
  return { evaluation: evaluateApprovals({ classification, pr: { number: pr.number, author: pr.author, headSha: pr.headSha, commits, reviews }, config, teams, today }), config };
}

function notIntoDefault(pr: PullRequestInfo, branch: string): RefusedError {
  return new RefusedError(msg(
    `PR #${pr.number} 的目标分支是 ${pr.baseRef}，不是默认分支 ${branch}。审批只对合并到 ${branch} 的 PR 作出判断；请把 PR 的目标分支改为 ${branch}。`,
    `PR #${pr.number} targets ${pr.baseRef}, not the default branch ${branch}. Approvals are judged only for pull requests into ${branch}; change the pull request's base to ${branch}.`,
  ));
}

function moved(number: number): RefusedError {
  return new RefusedError(msg(
    `PR #${number} 在检查过程中有了新的提交或改了目标分支，本次结果作废；新的事件会重新检查。`,
    `PR #${number} got a new commit or another base while it was being checked; this result is void, and the new event checks it again.`,
  ));
}

function outstanding(evaluation: Evaluation): number {
  return evaluation.refusals.length + evaluation.decisions.reduce((n, d) => n + d.roles.filter((r) => !r.signer).length + d.refusals.length, 0);
}

function statusLine(pulls: readonly PullCheck[], satisfied: boolean): string {
  const which = pulls.length > 1 ? `${pulls.map((p) => `#${p.pr.number}`).join(" ")} ` : "";
  if (satisfied) return `${which}审批齐全 / all approvals in`;
  const missing = pulls.reduce((n, p) => n + outstanding(p.evaluation), 0);
  return `${which}审批未齐全：${missing} 项待处理 / ${missing} items outstanding`;
}

/**
 * The verdict for one head commit, written as its status (unless `dryRun`): every open pull request
 * into the default branch that it heads is judged with the default branch's rules, and the status is
 * success only when all of them are satisfied. Anything unexpected (a pull request into another
 * branch asked for by number, a push during the check, an answer not believed) leaves `error`.
 */
export async function checkHead(
  repo: RepositoryPort,
  portFor: (pr: number) => Promise<GitHubPort>,
  target: ApprovalTarget,
  options: { dryRun: boolean; today?: string },
): Promise<HeadCheck> {
  let headSha = "headSha" in target ? target.headSha : undefined;
  try {
    const main = await repo.defaultBranch();
    const found = new Map<number, { port: GitHubPort; info: PullRequestInfo }>();
    if ("pr" in target) {
      const port = await portFor(target.pr);
      const info = await port.pullRequest();
      // The workflow serializes judgements by the event's head: a run for an older event leaves the
      // new head to the run of its own event instead of judging it beside that run.
      if (target.expectHead !== undefined && info.headSha !== target.expectHead) return { headSha: info.headSha, pulls: [], skipped: [], satisfied: false, stale: true };
      headSha = info.headSha;
      if (info.baseRef !== main.name) throw notIntoDefault(info, main.name);
      found.set(info.number, { port, info });
    }
    const head = headSha!;
    for (const number of await repo.openPullsWithHead(head)) {
      if (found.has(number)) continue;
      const port = await portFor(number);
      found.set(number, { port, info: await port.pullRequest() });
    }
    const judged: { port: GitHubPort; info: PullRequestInfo }[] = [];
    const skipped: { number: number; baseRef: string }[] = [];
    for (const [number, entry] of [...found].sort(([a], [b]) => a - b)) {
      if (entry.info.headSha !== head) throw moved(number);
      if (entry.info.baseRef !== main.name) skipped.push({ number, baseRef: entry.info.baseRef });
      else judged.push(entry);
    }
    if (judged.length === 0) return { headSha: head, pulls: [], skipped, satisfied: false };
    // Pending while judging: a run cancelled from here on leaves no earlier success standing.
    if (!options.dryRun) await repo.setStatus(head, "pending", "审批检查进行中 / checking the approvals");
    const configFiles = await configAt(judged[0]!.port, main.sha);
    const pulls: PullCheck[] = [];
    for (const { port, info } of judged) {
      const changes = await changesOf(port, info);
      const { evaluation, config } = await evaluatePull(port, info, { configFiles, configFrom: `${main.name}（${main.sha.slice(0, 7)}）`, changes }, options.today);
      pulls.push({ pr: info, evaluation, comment: formatApprovalComment(evaluation, namesOf(config)), told: false });
    }
    // The files were listed for whatever the head was when GitHub answered: a push or a new base
    // during the check would give this commit a verdict on another change.
    for (const { port, info } of judged) {
      const now = await port.pullRequest();
      if (now.headSha !== head || now.baseRef !== info.baseRef) throw moved(info.number);
    }
    const satisfied = pulls.every((p) => p.evaluation.satisfied);
    const told: PullCheck[] = [];
    if (!options.dryRun) {
      for (const [i, p] of pulls.entries()) told.push({ ...p, told: await judged[i]!.port.upsertComment(COMMENT_MARKER, p.comment) });
      await repo.setStatus(head, satisfied ? "success" : "failure", statusLine(pulls, satisfied));
    }
    return { headSha: head, pulls: options.dryRun ? pulls : told, skipped, satisfied };
  } catch (err) {
    // The failure is reported by the caller; the status must not stay green from an earlier run.
    if (!options.dryRun && headSha) {
      // GitHub shows a status's description as it is: the tool's own words, never an unexpected error's.
      const why = err instanceof FilingToolError ? err.userMessage.en : "internal error";
      await repo.setStatus(headSha, "error", `审批检查失败 / approval check failed: ${why}`).catch(() => undefined);
    }
    throw err;
  }
}
