import { spawnSync } from "node:child_process";
import path from "node:path";
import { Command } from "commander";
import { RemoteServiceError } from "../../lib/errors";
import { calendarDate } from "../../lib/filings/dates";
import { DRIFT_LABEL, planDrift, readDriftPreview } from "../../lib/operations/drift";
import { msg, text } from "../../lib/messages";
import { octokitIssues } from "../../lib/github/octokit";
import type { CliIo } from "./io";
import { asLang, langOption, rootOption } from "./options";
import { repositoryFromEnv } from "./repo";

interface DriftOptions {
  repo: string;
  stack: string;
  root: string;
  dryRun?: boolean;
  lang: string;
}

/**
 * `filing drift`: `pulumi preview --refresh --expect-no-changes --json` on the stack; differences are
 * mapped to filings and kept in one drift issue (opened, updated, closed when clean). A preview that
 * fails (credentials, network) is reported as such with exit 2 and never as drift. PULUMI_COMMAND
 * names the CLI when it is not `pulumi` on PATH.
 */
export function driftCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("drift")
    .description("compare the platform with the filings and keep one drift issue / 检查平台与备案是否一致")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .requiredOption("--stack <name>", "Pulumi stack / 堆栈")
    .addOption(rootOption())
    .option("--dry-run", "print; open, update or close no issue / 只显示结果")
    .addOption(langOption())
    .action(async (options: DriftOptions) => {
      const lang = asLang(options.lang);
      const repository = repositoryFromEnv(io, options.repo, deps.retryBaseMs);
      const cli = io.env.PULUMI_COMMAND || "pulumi";
      // The command's own environment (io.env), not this process's: what it passes on is what it was given.
      const r = spawnSync(cli, ["preview", "--refresh", "--expect-no-changes", "--json", "--stack", options.stack], {
        cwd: path.resolve(io.cwd, options.root),
        encoding: "utf8",
        env: { ...io.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
        maxBuffer: 1 << 28,
      });
      if (r.error) {
        throw new RemoteServiceError(msg(`无法运行 ${cli}：${r.error.message}。请安装 Pulumi CLI。`, `Cannot run ${cli}: ${r.error.message}. Install the Pulumi CLI.`), undefined);
      }
      const outcome = readDriftPreview(r.stdout, r.status ?? 1);
      // A failed check reads no issue either: it must not depend on GitHub answering.
      const issues = options.dryRun || outcome.kind === "failed" ? undefined : await octokitIssues(repository);
      const open = issues ? await issues.openIssues(DRIFT_LABEL) : [];
      const plan = planDrift(outcome, open, options.stack, calendarDate(io.now()));
      for (const line of plan.report) (plan.toStderr ? io.stderr : io.stdout)(`${text(line, lang)}\n`);
      if (issues) {
        for (const a of plan.actions) {
          if (a.kind === "close") await issues.closeIssue(a.number, a.comment);
          else if (a.kind === "update") await issues.updateIssue(a.number, { title: a.title, body: a.body });
          else await issues.createIssue({ title: a.title, body: a.body, labels: [DRIFT_LABEL], assignees: [] });
        }
      }
      setExit(plan.exitCode);
    });
}
