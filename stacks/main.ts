/**
 * Thin Pulumi entry: gathers the inputs (register files, institution config, stack config, today)
 * from disk, Pulumi config and the clock, and hands them to defineProgram. The result becomes the stack outputs.
 */
import fs from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { readFilingFiles } from "../lib/filings/read";
import { readConfigFiles } from "../lib/config/read";
import { calendarDate } from "../lib/filings/dates";
import { PROJECT, type StackConfigInput } from "../lib/stack-files/config";
import { parseStackFile, stackFilePath } from "../lib/stack-files/file";
import { readStackOwners } from "../lib/stack-files/read";
import { formatBilingual } from "../lib/output/problems";
import { defineProgram, type ServerOutput } from "./program";

const root = path.resolve(__dirname, "..");

/** Pulumi hands config values over as strings; structured ones (site, networks) as JSON text. */
function decode(value: string): unknown {
  if (/^[[{]/.test(value.trim())) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function stackInput(): StackConfigInput {
  const file = stackFilePath(pulumi.getStack());
  const abs = path.join(root, file);
  const fromFile = fs.existsSync(abs)
    ? parseStackFile({ path: file, bytes: fs.readFileSync(abs) }).input
    : undefined;
  // Values come from Pulumi (the file plus any overrides); the file tells where keys are and which are secrets.
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
    values[k] = k.startsWith(`${PROJECT}:`) ? decode(v) : fromFile?.values[k] ?? v;
  }
  return { file, values, secretKeys: fromFile?.secretKeys ?? new Set(), locate: fromFile?.locate };
}

// An exported function is what Pulumi awaits and whose rejection it reports as the program's error;
// its result's keys become the stack outputs.
export = async (): Promise<{ servers: Record<string, ServerOutput> }> => {
  // Who owns each filing is decided across every stack file; a broken one leaves that unknown.
  const owners = readStackOwners(root);
  if (!owners.owners) throw new pulumi.RunError(`堆栈配置有误 / Invalid stack configuration:\n${formatBilingual(owners.problems)}`);
  return {
    servers: await defineProgram({
      register: { filings: readFilingFiles(root), config: readConfigFiles(root), today: calendarDate(new Date()), stacks: owners.owners },
      stack: stackInput(),
    }),
  };
};
