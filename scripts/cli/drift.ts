import { spawnSync } from "node:child_process";
import path from "node:path";
import { Command } from "commander";
import { RemoteServiceError } from "../../lib/errors";
import { calendarDate } from "../../lib/filings/dates";
import { DRIFT_LABEL, DRIFT_MARKER, driftIssueBody, readDriftPreview } from "../../lib/operations/drift";
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
      const r = spawnSync(cli, ["preview", "--refresh", "--expect-no-changes", "--json", "--stack", options.stack], {
        cwd: path.resolve(io.cwd, options.root),
        encoding: "utf8",
        env: { ...process.env, ...io.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
        maxBuffer: 1 << 28,
      });
      if (r.error) {
        throw new RemoteServiceError(msg(`无法运行 ${cli}：${r.error.message}。请安装 Pulumi CLI。`, `Cannot run ${cli}: ${r.error.message}. Install the Pulumi CLI.`), undefined);
      }
      const outcome = readDriftPreview(r.stdout, r.status ?? 1);
      if (outcome.kind === "failed") {
        io.stderr(`${text(outcome.message, lang)}\n`);
        setExit(2);
        return;
      }
      const issues = options.dryRun ? undefined : await octokitIssues(repository);
      const open = issues ? (await issues.openIssues(DRIFT_LABEL)).filter((i) => i.body.includes(DRIFT_MARKER)) : [];
      if (outcome.kind === "clean") {
        io.stdout(`${text(msg(`✓ 堆栈 ${options.stack} 与备案一致。`, `✓ Stack ${options.stack} matches the filings.`), lang)}\n`);
        for (const i of open) await issues!.closeIssue(i.number, "最近一次检查没有发现差异，关闭。 The latest check found no difference; closing.");
        setExit(0);
        return;
      }
      for (const f of outcome.findings) io.stdout(`✗ ${text(f.message, lang)}\n`);
      if (issues) {
        const title = `[备案漂移] 堆栈 ${options.stack} 有 ${outcome.findings.length} 处与备案不一致 / drift from the filings`;
        const body = driftIssueBody(outcome.findings, options.stack, calendarDate(io.now()));
        if (open[0]) await issues.updateIssue(open[0].number, { title, body });
        else await issues.createIssue({ title, body, labels: [DRIFT_LABEL], assignees: [] });
      }
      setExit(1);
    });
}
