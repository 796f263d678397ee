import type { Command } from "commander";
import { processIo, type CliIo } from "./io";
import { runCommandLine } from "./command-line";
import { inquirerAsker, newCommand, type Asker } from "./new";
import { approvalsCommand } from "./approvals";
import { codeownersCommand } from "./codeowners";
import { planCommand } from "./plan";
import { policyCommand } from "./policy";
import { deployedCommand } from "./deployed";
import { driftCommand, type DriftLook } from "./drift";
import { previewGateCommand } from "./preview-gate";
import { remindCommand } from "./remind";
import { renderCommand } from "./render";
import { reportCommand } from "./report";
import { reverifyCommand } from "./reverify";
import { prFilingsCommand } from "./pr-filings";
import { doctorCommand } from "./doctor";
import { engineCommand } from "./engine";
import { validateCommand } from "./validate";
import { stacksCommand } from "./stacks";
import { serveCommand } from "./serve";

/**
 * The `filing` command with every subcommand. Returns the exit code: 0 ok, 1 problems found (or
 * "not yet"), 2 bad usage or internal failure (scripts/cli/command-line.ts decides which).
 */
export async function run(
  argv: string[],
  io: CliIo = processIo(),
  deps: { askerFactory?: () => Promise<Asker>; retryBaseMs?: number; driftLook?: DriftLook } = {},
): Promise<number> {
  return runCommandLine(argv, io, (setExit): Command[] => [
    validateCommand(io, setExit),
    newCommand(io, setExit, deps.askerFactory ?? inquirerAsker),
    planCommand(io, setExit),
    stacksCommand(io, setExit),
    serveCommand(io, setExit),
    policyCommand(io, setExit),
    approvalsCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }),
    codeownersCommand(io, setExit),
    reportCommand(io, setExit),
    remindCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }),
    previewGateCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }),
    deployedCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }),
    driftCommand(io, setExit, { retryBaseMs: deps.retryBaseMs, look: deps.driftLook }),
    renderCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }),
    reverifyCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }),
    prFilingsCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }),
    doctorCommand(io, setExit, { retryBaseMs: deps.retryBaseMs }),
    engineCommand("preview", io, setExit),
    engineCommand("up", io, setExit),
  ]);
}
