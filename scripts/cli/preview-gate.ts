import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { UsageError } from "../../lib/errors";
import { msg, text } from "../../lib/messages";
import { filingIdFromPath } from "../../lib/approvals/classify";
import { gatePreview, gateVerdict, previewSteps } from "../../lib/preview/gate";
import { previewComment, previewMarker } from "../../lib/output/deploy";
import { octokitPort } from "../../lib/github/octokit";
import type { CliIo } from "./io";
import { pullRequestFromEnv } from "./repo";
import { assertRegisterRoot, filingPaths } from "../../lib/filings/read";
import { asLang, langOption, rootOption } from "./options";

/**
 * `filing preview-gate <preview.json>`: exit 1, naming the steps, when a preview deletes or replaces a
 * VM, except the deletion of a decommissioned filing's VM whose file the change removes. `--root` is
 * the register the preview was made from.
 */
export function previewGateCommand(io: CliIo, setExit: (code: number) => void, deps: { retryBaseMs?: number } = {}): Command {
  return new Command("preview-gate")
    .description("fail when a `pulumi preview --json` deletes or replaces a VM or its firewall / 阻止删除或替换虚拟机及其防火墙的变更")
    .argument("<file>", "output of pulumi preview --json")
    .option("--repo <owner/name>", "with --pr: keep a preview summary comment on the pull request / 在 PR 上保留预览摘要")
    .option("--pr <number>", "pull request number")
    .option("--stack <name>", "stack name shown in the comment", "")
    .addOption(rootOption())
    .addOption(langOption())
    .action(async (file: string, options: { lang: string; repo?: string; pr?: string; stack: string; root: string }) => {
      const lang = asLang(options.lang);
      const abs = path.resolve(io.cwd, file);
      let digest: unknown;
      try {
        digest = JSON.parse(fs.readFileSync(abs, "utf8"));
      } catch (e) {
        throw new UsageError(msg(`无法读取预览结果 ${file}：${(e as Error).message}`, `Cannot read the preview ${file}: ${(e as Error).message}`));
      }
      // Only which filings exist matters here, so the files are listed, not read.
      const root = path.resolve(io.cwd, options.root);
      assertRegisterRoot(root);
      const filed = new Set(filingPaths(root).flatMap((p) => filingIdFromPath(p)?.id ?? []));
      const read = previewSteps(digest);
      if (!("steps" in read)) {
        const reason = "malformed" in read ? read.malformed : read.failed;
        io.stderr(`::error title=preview not judged::${text(reason, lang)}\n`);
        io.stdout(`✗ ${text(reason, lang)}\n`);
        setExit("malformed" in read ? 2 : 1);
        return;
      }
      const gate = gatePreview(read.steps, filed);
      for (const f of gate.removals) io.stderr(`::notice title=decommissioned VM removed::${text(f.message, lang)}\n`);
      for (const f of gate.blocked) io.stderr(`::error title=destructive change (${f.op})::${text(f.message, lang)}\n`);
      const { passed, message } = gateVerdict(gate);
      io.stdout(`${passed ? "✓" : "✗"} ${text(message, lang)}\n`);
      if (options.repo && options.pr) {
        const port = await octokitPort(pullRequestFromEnv(io, options.repo, options.pr, deps.retryBaseMs));
        await port.upsertComment(previewMarker(options.stack), previewComment(digest, options.stack, gate));
      }
      setExit(passed ? 0 : 1);
    });
}
