import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { filingIdFromPath } from "../../lib/approvals/classify";
import { UsageError } from "../../lib/errors";
import { msg, text } from "../../lib/messages";
import { DEPLOYED_MARKER, deployedComment, parseUpOutputs, type ServerOutputRow, type StackServers } from "../../lib/output/deploy";
import { deployedNotice } from "../../lib/notify/notice";
import { notifyFromEnv, repositoryWebUrl } from "./notify";
import { octokitRepository, octokitPort } from "../../lib/github/octokit";
import type { CliIo } from "./io";
import { asLang, langOption } from "./options";
import { pullRequestFromEnv, repositoryFromEnv } from "./repo";

interface DeployedOptions {
  repo: string;
  sha: string;
  stack?: string;
  outputs: string[];
  stopped: string[];
  runUrl?: string;
  lang: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--outputs STACK=FILE`, or a plain FILE for the one `--stack`; then each `--stopped STACK`. */
function outputsOf(io: CliIo, options: DeployedOptions): StackServers[] {
  const written = options.outputs.map((arg): StackServers => {
    const eq = arg.indexOf("=");
    const stack = eq > 0 ? arg.slice(0, eq) : options.stack;
    const file = eq > 0 ? arg.slice(eq + 1) : arg;
    if (!stack) throw new UsageError(msg(`--outputs ${arg} 没有写明堆栈：请写作 堆栈名=文件，或同时给出 --stack。`, `--outputs ${arg} names no stack: write STACK=FILE, or give --stack.`));
    try {
      return { stack, ...parseUpOutputs(JSON.parse(fs.readFileSync(path.resolve(io.cwd, file), "utf8"))) };
    } catch (e) {
      throw new UsageError(msg(`无法读取堆栈 ${stack} 的输出 ${file}：${(e as Error).message}`, `Cannot read stack ${stack}'s outputs ${file}: ${(e as Error).message}`));
    }
  });
  return [...written, ...options.stopped.map((stack) => ({ stack, stopped: true as const }))];
}

/**
 * `filing deployed`: after every stack's `filing up`, one comment on the merged pull request listing
 * each VM of its filings with the platform id, IP and zone, from each stack's output `servers`; and
 * what did not deploy: its filings a stack's run went on past, and each stack whose run stopped.
 */
export function deployedCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("deployed")
    .description("comment the created VMs on the merged pull request / 在已合并的 PR 上列出创建的虚拟机")
    .requiredOption("--repo <owner/name>", "repository / 仓库")
    .requiredOption("--sha <commit>", "the pushed commit / 推送的提交")
    .option("--stack <name>", "the stack of a plain --outputs FILE / 堆栈")
    .option("--outputs <stack=file>", "a stack's `filing up --outputs` file, once per stack / 各堆栈的输出（可重复）", collect, [])
    .option("--stopped <stack>", "a stack whose `filing up` stopped and wrote no outputs, once per stack / 部署中止、没有输出的堆栈（可重复）", collect, [])
    .option("--run-url <url>", "the deploy run, linked where something did not deploy / 部署运行的链接")
    .addOption(langOption())
    .action(async (options: DeployedOptions) => {
      const lang = asLang(options.lang);
      const stacks = outputsOf(io, options);
      if (stacks.length === 0) throw new UsageError(msg("请至少给出一个 --outputs 堆栈名=文件 或 --stopped 堆栈名。", "Give at least one --outputs STACK=FILE or --stopped STACK."));
      const pulls = await (await octokitRepository(repositoryFromEnv(io, options.repo, deps.retryBaseMs))).mergedPullsFor(options.sha);
      for (const number of pulls) {
        const port = await octokitPort(pullRequestFromEnv(io, options.repo, String(number), deps.retryBaseMs));
        const ids = (await port.changedFiles()).flatMap((f) => [f.path, f.previousPath ?? ""]).flatMap((p) => filingIdFromPath(p)?.id ?? []);
        await port.upsertComment(DEPLOYED_MARKER, deployedComment(stacks, [...new Set(ids)], options.runUrl));
        const servers = Object.assign({}, ...stacks.map((s) => ("servers" in s ? s.servers : {}))) as Record<string, ServerOutputRow>;
        await notifyFromEnv(io, deployedNotice(number, servers, [...new Set(ids)], `${repositoryWebUrl(io, options.repo)}/pull/${number}`));
        io.stdout(`${text(msg(`已在 #${number} 上列出部署结果。`, `Listed the deployment on #${number}.`), lang)}\n`);
      }
      if (pulls.length === 0) io.stdout(`${text(msg(`提交 ${options.sha.slice(0, 7)} 不属于任何已合并的 PR。`, `Commit ${options.sha.slice(0, 7)} belongs to no merged pull request.`), lang)}\n`);
      setExit(0);
    });
}
