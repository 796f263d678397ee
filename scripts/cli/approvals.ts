import { Command, Option } from "commander";
import { calendarDate } from "../../lib/filings/period";
import { formatApprovalJson, formatApprovalText } from "../../lib/output/approvals";
import { checkApprovals } from "../../lib/github/check";
import { octokitPort } from "../../lib/github/octokit";
import type { CliIo } from "./io";
import { asLang, langOption } from "./options";
import { pullRequestFromEnv } from "./repo";

interface ApprovalsOptions {
  repo: string;
  pr: string;
  dryRun?: boolean;
  format: "text" | "json";
  lang: string;
}

/**
 * `filing approvals`: the approval check of one pull request. Exit 0 when every filing has its
 * signatures, 1 when not yet, 2 on an error (GitHub unreachable or refusing, config broken on the base
 * branch) — an error never leaves a success status behind.
 */
export function approvalsCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("approvals")
    .description("check a pull request's reviews against the approval chain / 检查 PR 的审批签字")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .requiredOption("--pr <number>", "pull request number / PR 编号")
    .option("--dry-run", "print the decision; write no status or comment / 只显示结果，不写状态和评论")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .addOption(langOption())
    .action(async (options: ApprovalsOptions) => {
      const lang = asLang(options.lang);
      const port = await octokitPort(pullRequestFromEnv(io, options.repo, options.pr, deps.retryBaseMs));
      const result = await checkApprovals(port, { dryRun: options.dryRun === true, today: calendarDate(io.now()) });
      io.stdout(options.format === "json" ? formatApprovalJson(result.evaluation) : formatApprovalText(result.evaluation, lang));
      setExit(result.evaluation.satisfied ? 0 : 1);
    });
}
