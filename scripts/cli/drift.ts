import { Command } from "commander";
import { calendarDate } from "../../lib/filings/dates";
import { applyIssueActions } from "../../lib/github/issues";
import { DRIFT_LABEL, planDrift, readDriftPreview, type DriftPreview } from "../../lib/operations/drift";
import { text, type Lang } from "../../lib/messages";
import { octokitRepository } from "../../lib/github/octokit";
import { refreshPreview } from "./engine";
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

/** Looks at the platform: the stack's preview with refresh (scripts/cli/engine.ts), or the exit code when it cannot start. */
export type DriftLook = (io: CliIo, lang: Lang, options: { root: string; stack: string }) => Promise<{ exit: number } | DriftPreview>;

/**
 * `filing drift`: a preview of the stack with refresh and `expectNoChanges`, through the same inline
 * program as `filing preview` (no bare `pulumi preview`, which needs a Node.js language host in the
 * CLI); differences are mapped to filings and kept in one drift issue (opened, updated, closed when
 * clean). A preview that fails (credentials, network) is reported as such with exit 2 and never as
 * drift. `deps.look` stands in for the engine in the tests of the issue handling.
 */
export function driftCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number; look?: DriftLook } = {}): Command {
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
      const preview = await (deps.look ?? refreshPreview)(io, lang, { root: options.root, stack: options.stack });
      if ("exit" in preview) {
        setExit(preview.exit);
        return;
      }
      const outcome = readDriftPreview(preview);
      // A failed check reads no issue either: it must not depend on GitHub answering.
      const issues = options.dryRun || outcome.kind === "failed" ? undefined : await octokitRepository(repository);
      const open = issues ? await issues.openIssues(DRIFT_LABEL) : [];
      const plan = planDrift(outcome, open, options.stack, calendarDate(io.now()));
      for (const line of plan.report) (plan.toStderr ? io.stderr : io.stdout)(`${text(line, lang)}\n`);
      if (issues) await applyIssueActions(issues, DRIFT_LABEL, plan.actions);
      setExit(plan.exitCode);
    });
}
