import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { filingIdFromPath } from "../../lib/approvals/classify";
import { UsageError } from "../../lib/errors";
import { msg, text } from "../../lib/messages";
import { DEPLOYED_MARKER, deployedComment, type ServerOutputRow, type StackServers } from "../../lib/output/deploy";
import { octokitRepository, octokitPort } from "../../lib/github/octokit";
import type { CliIo } from "./io";
import { asLang, langOption } from "./options";
import { pullRequestFromEnv, repositoryFromEnv } from "./repo";

interface DeployedOptions {
  repo: string;
  sha: string;
  stack?: string;
  outputs: string[];
  lang: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--outputs STACK=FILE`, or a plain FILE for the one `--stack`. */
function outputsOf(io: CliIo, options: DeployedOptions): StackServers[] {
  return options.outputs.map((arg) => {
    const eq = arg.indexOf("=");
    const stack = eq > 0 ? arg.slice(0, eq) : options.stack;
    const file = eq > 0 ? arg.slice(eq + 1) : arg;
    if (!stack) throw new UsageError(msg(`--outputs ${arg} 没有写明堆栈：请写作 堆栈名=文件，或同时给出 --stack。`, `--outputs ${arg} names no stack: write STACK=FILE, or give --stack.`));
    try {
      const servers = JSON.parse(fs.readFileSync(path.resolve(io.cwd, file), "utf8")) as unknown;
      if (typeof servers !== "object" || servers === null || Array.isArray(servers)) throw new Error("not an object of servers by filing id");
      return { stack, servers: servers as Record<string, ServerOutputRow> };
    } catch (e) {
      throw new UsageError(msg(`无法读取堆栈 ${stack} 的输出 ${file}：${(e as Error).message}`, `Cannot read stack ${stack}'s outputs ${file}: ${(e as Error).message}`));
    }
  });
}

/**
 * `filing deployed`: after every stack's `filing up`, one comment on the merged pull request listing
 * each VM of its filings with the platform id, IP and zone, from each stack's output `servers`.
 */
export function deployedCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("deployed")
    .description("comment the created VMs on the merged pull request / 在已合并的 PR 上列出创建的虚拟机")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .requiredOption("--sha <commit>", "the pushed commit / 推送的提交")
    .option("--stack <name>", "the stack of a plain --outputs FILE / 堆栈")
    .requiredOption("--outputs <stack=file>", "a stack's `filing up --outputs` file, once per stack / 各堆栈的输出（可重复）", collect)
    .addOption(langOption())
    .action(async (options: DeployedOptions) => {
      const lang = asLang(options.lang);
      const stacks = outputsOf(io, options);
      const pulls = await (await octokitRepository(repositoryFromEnv(io, options.repo, deps.retryBaseMs))).mergedPullsFor(options.sha);
      for (const number of pulls) {
        const port = await octokitPort(pullRequestFromEnv(io, options.repo, String(number), deps.retryBaseMs));
        const ids = (await port.changedFiles()).flatMap((f) => [f.path, f.previousPath ?? ""]).flatMap((p) => filingIdFromPath(p)?.id ?? []);
        await port.upsertComment(DEPLOYED_MARKER, deployedComment(stacks, [...new Set(ids)]));
        io.stdout(`${text(msg(`已在 #${number} 上列出部署结果。`, `Listed the deployment on #${number}.`), lang)}\n`);
      }
      if (pulls.length === 0) io.stdout(`${text(msg(`提交 ${options.sha.slice(0, 7)} 不属于任何已合并的 PR。`, `Commit ${options.sha.slice(0, 7)} belongs to no merged pull request.`), lang)}\n`);
      setExit(0);
    });
}
