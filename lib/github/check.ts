import { classifyChanges, isFilingPath, type FileVersions } from "../approvals/classify";
import { evaluateApprovals, teamsToResolve, type Evaluation } from "../approvals/evaluate";
import { CONFIG_SOURCE_PATHS } from "../config/model";
import { parseConfig } from "../config/parse";
import { ConfigurationError, FilingToolError } from "../errors";
import { msg } from "../messages";
import { COMMENT_MARKER, formatApprovalComment } from "../output/approvals";
import { problemLine } from "../output/problems";
import type { SourceFile } from "../yaml/strict";
import { GitHubApiError } from "../errors";
import type { GitHubPort, PullRequestInfo } from "./port";

export interface ApprovalCheck {
  readonly pr: PullRequestInfo;
  readonly evaluation: Evaluation;
  readonly comment: string;
}

async function source(port: GitHubPort, ref: string, path: string): Promise<SourceFile | undefined> {
  const bytes = await port.fileAt(ref, path);
  return bytes ? { path, bytes } : undefined;
}

/**
 * One evaluation of one pull request. Config and role holders come from the base branch's head,
 * filing versions from the PR's base and head commits; the number of API calls does not grow with
 * the number of reviews (one page holds 100).
 */
export async function checkApprovals(port: GitHubPort, options: { dryRun: boolean; today?: string }): Promise<ApprovalCheck> {
  const pr = await port.pullRequest();
  try {
    const files = await port.changedFiles();
    const configFiles = new Map<string, SourceFile>();
    for (const path of CONFIG_SOURCE_PATHS) {
      const file = await source(port, pr.baseRef, path);
      if (file) configFiles.set(path, file);
    }
    const parsed = parseConfig({ files: configFiles });
    if (!parsed.loaded) {
      throw new ConfigurationError(msg(
        `目标分支 ${pr.baseRef} 上的机构配置有错误，无法判断审批：\n${parsed.problems.map((p) => problemLine(p, "zh")).join("\n")}`,
        `The institution config on ${pr.baseRef} has errors, so approvals cannot be judged:\n${parsed.problems.map((p) => problemLine(p, "en")).join("\n")}`,
      ));
    }
    const config = parsed.loaded.config;
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
        head: f.status === "removed" ? undefined : await source(port, pr.headSha, f.path),
      });
    }
    const classification = classifyChanges(changedPaths, versions);
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
    const evaluation = evaluateApprovals({ classification, pr: { number: pr.number, author: pr.author, headSha: pr.headSha, commits, reviews }, config, teams, today: options.today });
    const comment = formatApprovalComment(evaluation);
    if (!options.dryRun) {
      await port.upsertComment(COMMENT_MARKER, comment);
      const missing = evaluation.decisions.reduce((n, d) => n + d.roles.filter((r) => !r.signer).length + d.refusals.length, 0);
      await port.setStatus(
        pr.headSha,
        evaluation.satisfied ? "success" : "failure",
        evaluation.satisfied ? "审批齐全 / all approvals in" : `审批未齐全：${missing} 项待处理 / ${missing} items outstanding`,
      );
    }
    return { pr, evaluation, comment };
  } catch (err) {
    // The failure is reported by the caller; the status must not stay green from an earlier run.
    if (!options.dryRun) await port.setStatus(pr.headSha, "error", `审批检查失败 / approval check failed: ${err instanceof FilingToolError ? err.userMessage.en : "internal error"}`).catch(() => undefined);
    throw err;
  }
}
