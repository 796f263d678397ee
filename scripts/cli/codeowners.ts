import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { CODEOWNERS_FILE, codeowners } from "../../lib/approvals/codeowners";
import { parseConfig } from "../../lib/config/parse";
import { ConfigurationError } from "../../lib/errors";
import { assertRegisterRoot } from "../../lib/filings/read";
import { readConfigFiles } from "../../lib/config/read";
import { msg, text } from "../../lib/messages";
import { problemLine } from "../../lib/output/problems";
import type { CliIo } from "./io";
import { asLang, langOption, rootOption } from "./options";

interface CodeownersOptions {
  root: string;
  check?: boolean;
  lang: string;
}

/** `filing codeowners [--check]`: writes .github/CODEOWNERS from policies/, or (--check) exits 1 on drift. */
export function codeownersCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command("codeowners")
    .description("write .github/CODEOWNERS from the approval config / 根据审批配置生成 CODEOWNERS")
    .addOption(rootOption())
    .option("--check", "only check that the file is up to date / 只检查是否一致")
    .addOption(langOption())
    .action((options: CodeownersOptions) => {
      const lang = asLang(options.lang);
      const root = path.resolve(io.cwd, options.root);
      assertRegisterRoot(root);
      const parsed = parseConfig(readConfigFiles(root));
      if (!parsed.loaded) {
        throw new ConfigurationError(msg(
          `policies/ 中的配置有错误：\n${parsed.problems.map((p) => problemLine(p, "zh")).join("\n")}`,
          `The config in policies/ has errors:\n${parsed.problems.map((p) => problemLine(p, "en")).join("\n")}`,
        ));
      }
      const wanted = codeowners(parsed.loaded.config);
      const file = path.join(root, CODEOWNERS_FILE);
      const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
      if (options.check) {
        if (current === wanted) {
          io.stdout(`${text(msg(`✓ ${CODEOWNERS_FILE} 与 policies/ 一致。`, `✓ ${CODEOWNERS_FILE} matches policies/.`), lang)}\n`);
          setExit(0);
        } else {
          io.stderr(`${text(msg(
            `✗ ${CODEOWNERS_FILE} ${current === undefined ? "不存在" : "与 policies/ 中的审批配置不一致"}。请运行 node scripts/filing.js codeowners 并提交结果。`,
            `✗ ${CODEOWNERS_FILE} ${current === undefined ? "is missing" : "does not match the approval config in policies/"}. Run node scripts/filing.js codeowners and commit the result.`,
          ), lang)}\n`);
          setExit(1);
        }
        return;
      }
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, wanted);
      io.stdout(`${text(msg(`已写入 ${CODEOWNERS_FILE}。`, `Wrote ${CODEOWNERS_FILE}.`), lang)}\n`);
      setExit(0);
    });
}
