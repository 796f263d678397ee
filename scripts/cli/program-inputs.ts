import { formatReport, problemLine } from "../../lib/output/problems";
import { planRegister } from "../../lib/plan/servers";
import { openStack, readStackOwners, type OpenedStack } from "../../lib/stack-files/read";
import type { RegisterInput } from "../../lib/validate";
import type { CliIo } from "./io";
import type { Lang } from "../../lib/messages";
import type { OpenedRegister } from "./options";

/**
 * What the program runs on, for the commands that run it (`filing policy`, `filing preview`, `filing up`):
 * the named stacks' checked configs and a register that plans. Otherwise the problems are printed and
 * the exit code says whose they are: 2 a stack file, 1 the register.
 */
export function programInputs(
  io: CliIo,
  lang: Lang,
  register: OpenedRegister,
  names: readonly string[],
): { input: RegisterInput; stacks: Extract<OpenedStack, { config: unknown }>[] } | { exit: 1 | 2 } {
  const stacks = names.map((name) => openStack(register.root, name));
  // Every stack file, not only those named: who owns each filing is decided across all of them.
  const owners = readStackOwners(register.root);
  const broken = [...new Set([...stacks.flatMap((s) => ("problems" in s ? s.problems : [])), ...owners.problems])];
  if (broken.length > 0 || !owners.owners) {
    io.stderr(broken.map((p) => `${problemLine(p, lang)}\n`).join(""));
    return { exit: 2 };
  }
  const input = { filings: register.filings, config: register.config, today: register.today, stacks: owners.owners };
  const plan = planRegister(input);
  if (!plan.servers) {
    io.stderr(formatReport({ ok: false, filings: plan.filingCount, problems: plan.problems }, "text", lang));
    return { exit: 1 };
  }
  return { input, stacks: stacks as Extract<OpenedStack, { config: unknown }>[] };
}
