import { Command, CommanderError } from "commander";
import { version } from "../../package.json";
import { FilingToolError } from "../../lib/errors";
import { text, type Lang } from "../../lib/messages";
import type { CliIo } from "./io";

function langOf(argv: readonly string[]): Lang {
  const i = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const value = i < 0 ? undefined : argv[i]!.includes("=") ? argv[i]!.split("=")[1] : argv[i + 1];
  return value === "en" ? "en" : "zh";
}

/**
 * The `filing` command line with the given commands. Returns the exit code: 0 ok, 1 problems found (or
 * "not yet"), 2 bad usage or internal failure. The only place that turns errors into output and
 * exit codes. main.ts gives it every command; validate-main.ts only `validate`, the command a
 * department runs most (its bundle loads in half the time).
 */
export async function runCommandLine(argv: string[], io: CliIo, commands: (setExit: (code: number) => void) => Command[]): Promise<number> {
  let code = 0;
  const setExit = (c: number): void => {
    code = c;
  };
  const program = new Command("filing")
    .description("server filings as code / 服务器备案即代码")
    .version(version, "-v, --version", "print the version / 显示版本号")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();
  for (const command of commands(setExit)) program.addCommand(command);
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
