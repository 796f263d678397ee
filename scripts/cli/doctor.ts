import { Command } from "commander";
import { UsageError } from "../../lib/errors";
import { octokitSettings } from "../../lib/github/octokit";
import { APPROVALS_ENVIRONMENT, judgeSettings, PRODUCTION_ENVIRONMENT, REVERIFY_ENVIRONMENT } from "../../lib/github/settings";
import { msg, text } from "../../lib/messages";
import type { CliIo } from "./io";
import { asLang, langOption } from "./options";
import { repositoryFromEnv } from "./repo";

interface DoctorOptions {
  repo: string;
  branch: string;
  appId?: string;
  reverifyAppId?: string;
  lang: string;
}

/**
 * `filing doctor --repo`: reads the repository settings the approval gate and the deploy rely on and
 * says which are missing, with where to set each. Exit 0 when all hold, 1 when one is missing.
 */
export function doctorCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("doctor")
    .description("check the repository settings the trust boundary needs / 检查仓库的安全设置")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .option("--branch <name>", "the default branch / 默认分支", "main")
    .option("--app-id <id>", "the approvals GitHub App's id (default: FILINGS_APP_ID) / 审批 App 的编号")
    .option("--reverify-app-id <id>", "the deploy re-check's GitHub App id (default: FILINGS_REVERIFY_APP_ID) / 部署复核 App 的编号")
    .addOption(langOption())
    .action(async (options: DoctorOptions) => {
      const lang = asLang(options.lang);
      const raw = options.appId ?? io.env.FILINGS_APP_ID;
      const appId = Number(raw);
      if (!raw || !Number.isInteger(appId) || appId < 1) {
        throw new UsageError(msg("请用 --app-id（或环境变量 FILINGS_APP_ID）给出审批用 GitHub App 的编号。", "Give the approvals GitHub App's id with --app-id (or FILINGS_APP_ID)."));
      }
      const rawReverify = options.reverifyAppId ?? io.env.FILINGS_REVERIFY_APP_ID;
      const reverifyAppId = Number(rawReverify);
      if (!rawReverify || !Number.isInteger(reverifyAppId) || reverifyAppId < 1) {
        throw new UsageError(msg("请用 --reverify-app-id（或环境变量 FILINGS_REVERIFY_APP_ID）给出部署复核用 GitHub App 的编号。", "Give the re-check GitHub App's id with --reverify-app-id (or FILINGS_REVERIFY_APP_ID)."));
      }
      const settings = await octokitSettings(repositoryFromEnv(io, options.repo, deps.retryBaseMs), options.branch, [APPROVALS_ENVIRONMENT, REVERIFY_ENVIRONMENT, PRODUCTION_ENVIRONMENT]);
      const findings = judgeSettings(settings, { branch: options.branch, appId, reverifyAppId });
      for (const f of findings) {
        io.stdout(f.ok ? `✓ ${text(f.what, lang)}\n` : `✗ ${text(f.what, lang)}\n    ${text(f.fix!, lang)}\n`);
      }
      const missing = findings.filter((f) => !f.ok).length;
      io.stdout(`${text(missing === 0 ? msg("所有设置都已就绪。", "Every setting is in place.") : msg(`${missing} 项设置缺失，见上。`, `${missing} settings missing; see above.`), lang)}\n`);
      setExit(missing === 0 ? 0 : 1);
    });
}
