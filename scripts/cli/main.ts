import { Command, CommanderError } from "commander";
import { version } from "../../package.json";
import { FilingToolError } from "../../lib/errors";
import { text, type Lang } from "../../lib/messages";
import { processIo, type CliIo } from "./io";
import { inquirerAsker, newCommand, type Asker } from "./new";
import { approvalsCommand } from "./approvals";
import { codeownersCommand } from "./codeowners";
import { planCommand } from "./plan";
import { policyCommand } from "./policy";
import { deployedCommand } from "./deployed";
import { driftCommand } from "./drift";
import { previewGateCommand } from "./preview-gate";
import { remindCommand } from "./remind";
import { renderCommand } from "./render";
import { reportCommand } from "./report";
import { reverifyCommand } from "./reverify";
import { prFilingsCommand } from "./pr-filings";
import { doctorCommand } from "./doctor";
import { engineCommand } from "./engine";
import { validateCommand } from "./validate";

function langOf(argv: readonly string[]): Lang {
  const i = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const value = i < 0 ? undefined : argv[i]!.includes("=") ? argv[i]!.split("=")[1] : argv[i + 1];
  return value === "en" ? "en" : "zh";
}

/**
 * The `filing` command. Returns the exit code: 0 ok, 1 problems found (or "not yet"), 2 bad usage
 * or internal failure. The only place that turns errors into output and exit codes.
 */
export async function run(
  argv: string[],
  io: CliIo = processIo(),
  deps: { askerFactory?: () => Promise<Asker>; retryBaseMs?: number } = {},
): Promise<number> {
  let code = 0;
  const setExit = (c: number): void => {
    code = c;
  };
  const program = new Command("filing")
    .description("server filings as code / 服务器备案即代码")
    .version(version, "-v, --version", "print the version / 显示版本号")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError()
    .addCommand(validateCommand(io, setExit))
    .addCommand(newCommand(io, setExit, deps.askerFactory ?? inquirerAsker))
    .addCommand(planCommand(io, setExit))
    .addCommand(policyCommand(io, setExit))
    .addCommand(approvalsCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }))
    .addCommand(codeownersCommand(io, setExit))
    .addCommand(reportCommand(io, setExit))
    .addCommand(remindCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }))
    .addCommand(previewGateCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }))
    .addCommand(deployedCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }))
    .addCommand(driftCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }))
    .addCommand(renderCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }))
    .addCommand(reverifyCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }))
    .addCommand(prFilingsCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }))
    .addCommand(doctorCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }))
    .addCommand(engineCommand("preview", io, setExit))
    .addCommand(engineCommand("up", io, setExit));
  const quiet = (cmd: Command): void => {
    for (const sub of cmd.commands) {
      sub.showHelpAfterError(false).exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
      quiet(sub);
    }
  };
  quiet(program);
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof FilingToolError) {
      io.stderr(`${text(err.userMessage, langOf(argv))}\n`);
      return err.exitCode;
    }
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.stderr(
      langOf(argv) === "en"
        ? `Internal error; please report it to the information center with this output:\n${detail}\n`
        : `内部错误，请把以下信息发给信息中心：\n${detail}\n`,
    );
    return 2;
  }
}
