import { processIo, type CliIo } from "./io";
import { runCommandLine } from "./command-line";
import { validateCommand } from "./validate";

/**
 * `filing validate` alone, for its own bundle (scripts/bundle.js): scripts/filing.js runs it when
 * the first argument is `validate`. It answers exactly as main.ts does for that command.
 */
export function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommandLine(argv, io, (setExit) => [validateCommand(io, setExit)]);
}
