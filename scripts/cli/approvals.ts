import { Command, Option } from "commander";
import { calendarDate } from "../../lib/filings/dates";
import { formatApprovalJson, formatApprovalText } from "../../lib/output/approvals";
import { checkHead, type PullCheck } from "../../lib/github/check";
import { octokitRepository, octokitPort } from "../../lib/github/octokit";
import { UsageError } from "../../lib/errors";
import { msg, text } from "../../lib/messages";
import type { CliIo } from "./io";
import { notifyFromEnv, repositoryWebUrl } from "./notify";
import { approvalNotice } from "../../lib/notify/notice";
import { NO_NAMES } from "../../lib/names";
import { asLang, langOption } from "./options";
import { pullRequestFromEnv, repositoryFromEnv } from "./repo";

interface ApprovalsOptions {
  repo: string;
  pr?: string;
  headSha?: string;
  expectHead?: string;
  dryRun?: boolean;
  format: "text" | "json";
  lang: string;
}

/**
 * `filing approvals`: the approval check of one head commit — the pull request `--pr` names, or the
 * commit a review event names — and of every open pull request into the default branch it heads.
 * Exit 0 when every one has its signatures, 1 when not yet, 2 on an error (GitHub unreachable or
 * refusing, config broken on the default branch, a pull request into another branch) — an error
 * never leaves a success status behind.
 */
export function approvalsCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("approvals")
    .description("check a pull request's reviews against the approval chain / 检查 PR 的审批签字")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .option("--pr <number>", "pull request number / PR 编号")
    .option("--head-sha <sha>", "instead of --pr: judge the open pull requests into the default branch whose head is this commit (a review event) / 按最新提交查找 PR")
    .option("--expect-head <sha>", "with --pr: the head the event named; a pull request that has moved on is left to the newer event's run / 事件中的最新提交")
    .option("--dry-run", "print the decision; write no status or comment / 只显示结果，不写状态和评论")
    .addOption(new Option("--format <format>", "output format (json: the pull request's evaluation with --pr, a list with --head-sha)").choices(["text", "json"]).default("text"))
    .addOption(langOption())
    .action(async (options: ApprovalsOptions) => {
      const lang = asLang(options.lang);
      if ((options.pr === undefined) === (options.headSha === undefined)) {
        throw new UsageError(msg("请给出 --pr 或 --head-sha 之一。", "Give one of --pr and --head-sha."));
      }
      const asked = options.pr !== undefined ? pullRequestFromEnv(io, options.repo, options.pr, deps.retryBaseMs).number : undefined;
      const repo = await octokitRepository(repositoryFromEnv(io, options.repo, deps.retryBaseMs));
      const result = await checkHead(
        repo,
        (n) => octokitPort(pullRequestFromEnv(io, options.repo, String(n), deps.retryBaseMs)),
        asked !== undefined ? { pr: asked, expectHead: options.expectHead } : { headSha: options.headSha! },
        { dryRun: options.dryRun === true, today: calendarDate(io.now()) },
      );
      for (const s of result.skipped) {
        io.stdout(`${text(msg(`PR #${s.number} 的目标分支是 ${s.baseRef}，不是默认分支，不判断，也不影响状态。`, `PR #${s.number} targets ${s.baseRef}, not the default branch: not judged, and no part of the status.`), lang)}\n`);
      }
      if (result.stale) {
        io.stdout(`${text(msg(`PR #${asked} 已有更新的提交 ${result.headSha.slice(0, 7)}，由那次事件的检查判断；本次不写状态。`, `PR #${asked} has moved on to ${result.headSha.slice(0, 7)}; the run for that event judges it. No status written.`), lang)}\n`);
        setExit(0);
        return;
      }
      if (result.pulls.length === 0) {
        io.stdout(`${text(msg(`没有以 ${result.headSha} 为最新提交、目标为默认分支的未合并 PR，无需判断。`, `No open pull request into the default branch has ${result.headSha} as its head; nothing to judge.`), lang)}\n`);
        setExit(0);
        return;
      }
      if (options.format === "json") {
        const asJson = (p: PullCheck) => formatApprovalJson(p.evaluation);
        const mine = result.pulls.find((p) => p.pr.number === asked);
        io.stdout(mine ? asJson(mine) : `[${result.pulls.map((p) => asJson(p).trim()).join(",\n")}]\n`);
      } else {
        for (const p of result.pulls) {
          if (result.pulls.length > 1) io.stdout(`PR #${p.pr.number}\n`);
          io.stdout(formatApprovalText(p.evaluation, lang));
        }
      }
      // Whoever acts next hears of it (the signers still missing, or the department when refused), once
      // per change of the verdict (the comment rewritten), not once per event; never in a dry run.
      if (!options.dryRun) {
        for (const p of result.pulls.filter((x) => x.told)) await notifyFromEnv(io, approvalNotice(p.evaluation, { number: p.pr.number, title: "", url: `${repositoryWebUrl(io, options.repo)}/pull/${p.pr.number}` }, NO_NAMES));
      }
      setExit(result.satisfied ? 0 : 1);
    });
}
