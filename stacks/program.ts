import * as pulumi from "@pulumi/pulumi";
import { formatBilingual } from "../lib/output/problems";
import { planRegister, type Power, type ServerState } from "../lib/plan/servers";
import { checkStackConfig, type Platform, type StackConfigInput } from "../lib/stack-files/config";
import { ownsFiling } from "../lib/stack-files/owns";
import type { RegisterInput } from "../lib/validate";
import { FilingServer } from "./filing-server";
import { provisionerFor } from "./platforms";
import type { Deployment, Notify, VirtualServer } from "./platforms/types";
import { bilingual, msg, text, type Lang } from "../lib/messages";
import { STATE_NAMES } from "../lib/names";
import { withoutStackTraces } from "../lib/stack-traces";
import { FilingToolError } from "../lib/errors";

export interface ProgramInput {
  readonly register: RegisterInput;
  readonly stack: StackConfigInput;
  /** Where the program's notices go; by default the engine's warnings. */
  readonly notify?: Notify;
  /** The language of the engine's warnings (`filing --lang`); both, Chinese first, when not given (`pulumi up`). */
  readonly lang?: Lang;
  /** What the stack holds and the platform reported, when `filing up` read it first. */
  readonly deployment?: Deployment;
}

const engineWarning = (lang: Lang | undefined): Notify => (message, resource) => pulumi.log.warn(lang ? text(message, lang) : bilingual(message), resource);

/** Per filing id, what the stack outputs: enough for the merge comment and the reports. */
export interface ServerOutput {
  department: string;
  state: ServerState;
  platform: Platform;
  /** Undefined for physical servers, which have no VM. */
  platformId: pulumi.Output<string> | undefined;
  zone: string;
  ip: string;
  /** As the platform reports it where the program cannot set it (vSphere), else as the program sets it. */
  power: pulumi.Input<Power | "suspended" | string> | "n/a";
}

/**
 * A refusal of the program's own (lib/errors: a name the platform lacks) as Pulumi reports a
 * program's error: a RunError is shown without a stack trace, here in the user's language (both,
 * Chinese first, under `pulumi up`). `filing` keeps `error` to end the run with its line and its
 * exit code (scripts/cli/engine.ts).
 */
export class ProgramStopped extends pulumi.RunError {
  constructor(
    readonly error: FilingToolError,
    lang: Lang | undefined,
  ) {
    super(lang ? text(error.userMessage, lang) : bilingual(error.userMessage));
  }
}

/**
 * Filings registered per turn of the event loop. Registering every filing in one synchronous pass
 * leaves all of their registrations pending at once (a Proxmox VM alone has ~90 outputs with four
 * promises each), and collecting that garbage was most of the time at thousands of filings
 * (bench/program.ts, 2,000 filings on Proxmox: 11 s and 1.3 GB in one pass; 6.5-7 s and 0.5 GB in
 * turns of 10; turns of 25 and 100 fell in between). A turn waits for no resource to be created, it
 * only lets the SDK send what is queued, so `pulumi up` still creates every new VM in parallel.
 */
const FILINGS_PER_TURN = 10;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The whole program: check the stack config and the register, look the site up on the platform,
 * then one FilingServer per filing with a VM that this stack owns. Nothing is registered unless both
 * checks pass and the platform has every name the stack file gives, so an invalid register or a
 * misspelt port group can never half-apply; the returned promise then rejects with the checks'
 * messages, or with ProgramStopped.
 */
export async function defineProgram(input: ProgramInput): Promise<Record<string, ServerOutput>> {
  const stack = checkStackConfig(input.stack);
  if (!stack.config) {
    throw new pulumi.RunError(`堆栈配置有误 / Invalid stack configuration:\n${formatBilingual(stack.problems)}`);
  }
  const plan = planRegister(input.register);
  if (!plan.servers) {
    throw new pulumi.RunError(
      `备案登记有错误，未创建或修改任何资源 / The register has errors; nothing was created or changed:\n${formatBilingual(plan.problems)}`,
    );
  }
  const config = stack.config;
  // This stack's filings only (server-filings:owns); the rule stack-ownership saw to it that each
  // virtual filing has exactly one stack.
  const departments = new Map(plan.config!.departments.map((d) => [d.slug, d]));
  const notify = input.notify ?? engineWarning(input.lang);
  const known = input.deployment;
  const servers = plan.servers.filter((s) => {
    if (!ownsFiling(config.owns, { department: s.department, zone: s.network.zone }, departments)) return false;
    if (!s.vm || !known) return true;
    if (known.skip?.has(s.id)) return false;
    // A decommissioned filing with no VM in the stack (a fresh stack, a file put back after its
    // removal): there is nothing to keep, so nothing is created.
    if (s.state === "decommissioned" && !known.deployed.has(s.id)) {
      notify(msg(
        `${s.id}：${STATE_NAMES.decommissioned.zh}，本堆栈中没有它的虚拟机，不会创建。`,
        `${s.id}: ${STATE_NAMES.decommissioned.en}, and this stack holds no VM of it: none is created.`,
      ));
      return false;
    }
    return true;
  });
  const withVm = servers.filter((s): s is VirtualServer => s.vm !== undefined);
  const provisioner = await withoutStackTraces(() => provisionerFor(config, { notify, servers: withVm, stack: input.stack, off: known?.off })).catch((e: unknown) => {
    throw e instanceof FilingToolError ? new ProgramStopped(e, input.lang) : e;
  });
  const outputs: Record<string, ServerOutput> = {};
  for (let start = 0; start < servers.length; start += FILINGS_PER_TURN) {
    if (start > 0) await nextTurn();
    withoutStackTraces(() => {
      for (const server of servers.slice(start, start + FILINGS_PER_TURN)) {
        const row = { department: server.department, state: server.state, platform: config.platform, zone: server.network.zone, ip: server.network.ip };
        const created = server.vm ? new FilingServer(server as VirtualServer, provisioner, row) : undefined;
        outputs[server.id] = { ...row, platformId: created?.platformId, power: created?.power ?? server.vm?.power ?? "n/a" };
      }
    });
  }
  return outputs;
}

