import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { filingIdFromPath } from "../../lib/approvals/classify";
import { UsageError } from "../../lib/errors";
import { msg, text } from "../../lib/messages";
import { DEPLOYED_MARKER, deployedComment, type ServerOutputRow } from "../../lib/output/deploy";
import { octokitIssues, octokitPort } from "../../lib/github/octokit";
import type { CliIo } from "./io";
import { asLang, langOption } from "./options";
import { pullRequestFromEnv, repositoryFromEnv } from "./repo";

interface DeployedOptions {
  repo: string;
  sha: string;
  stack: string;
  outputs: string;
  lang: string;
}

/**
 * `filing deployed`: after `pulumi up`, a comment on the merged pull request listing each VM of its
 * filings with the platform id, IP and zone, from the stack output `servers`.
 */
export function deployedCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("deployed")
    .description("comment the created VMs on the merged pull request / 在已合并的 PR 上列出创建的虚拟机")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .requiredOption("--sha <commit>", "the pushed commit / 推送的提交")
    .requiredOption("--stack <name>", "stack / 堆栈")
    .requiredOption("--outputs <file>", "`pulumi stack output servers --json` / 堆栈输出")
    .addOption(langOption())
    .action(async (options: DeployedOptions) => {
      const lang = asLang(options.lang);
      let servers: Record<string, ServerOutputRow>;
      try {
        servers = JSON.parse(fs.readFileSync(path.resolve(io.cwd, options.outputs), "utf8"));
      } catch (e) {
        throw new UsageError(msg(`无法读取堆栈输出 ${options.outputs}：${(e as Error).message}`, `Cannot read the stack outputs ${options.outputs}: ${(e as Error).message}`));
      }
      const pulls = await (await octokitIssues(repositoryFromEnv(io, options.repo, deps.retryBaseMs))).mergedPullsFor(options.sha);
      for (const number of pulls) {
        const port = await octokitPort(pullRequestFromEnv(io, options.repo, String(number), deps.retryBaseMs));
        const ids = (await port.changedFiles()).flatMap((f) => [f.path, f.previousPath ?? ""]).flatMap((p) => filingIdFromPath(p)?.id ?? []);
        await port.upsertComment(DEPLOYED_MARKER, deployedComment(servers, [...new Set(ids)], options.stack));
        io.stdout(`${text(msg(`已在 #${number} 上列出部署结果。`, `Listed the deployment on #${number}.`), lang)}\n`);
      }
      if (pulls.length === 0) io.stdout(`${text(msg(`提交 ${options.sha.slice(0, 7)} 不属于任何已合并的 PR。`, `Commit ${options.sha.slice(0, 7)} belongs to no merged pull request.`), lang)}\n`);
      setExit(0);
    });
}
