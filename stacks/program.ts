import * as pulumi from "@pulumi/pulumi";
import { formatBilingual } from "../lib/output/problems";
import { planRegister, type Power, type ServerState } from "../lib/plan/servers";
import { checkStackConfig, type Platform, type StackConfigInput } from "../lib/stack/config";
import type { RegisterInput } from "../lib/validate";
import { FilingServer } from "./filing-server";
import { provisionerFor } from "./platforms";
import type { VirtualServer } from "./platforms/types";

export interface ProgramInput {
  readonly register: RegisterInput;
  readonly stack: StackConfigInput;
}

/** Per filing id, what the stack outputs: enough for the merge comment and the reports. */
export interface ServerOutput {
  department: string;
  state: ServerState;
  platform: Platform;
  /** Undefined for physical servers, which have no VM. */
  platformId: pulumi.Output<string> | undefined;
  zone: string;
  ip: string;
  power: Power | "n/a";
}

/**
 * The whole program: check the stack config and the register, then one FilingServer per filing with
 * a VM. Nothing is registered unless both checks pass, so an invalid register can never half-apply.
 */
export function defineProgram(input: ProgramInput): Record<string, ServerOutput> {
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
  return withoutPromiseStackTraces(() => {
    const provisioner = provisionerFor(config);
    const outputs: Record<string, ServerOutput> = {};
    for (const server of plan.servers!) {
      const created = server.vm ? new FilingServer(server as VirtualServer, provisioner) : undefined;
      outputs[server.id] = {
        department: server.department,
        state: server.state,
        platform: config.platform,
        platformId: created?.platformId,
        zone: server.network.zone,
        ip: server.network.ip,
        power: server.vm?.power ?? "n/a",
      };
    }
    return outputs;
  });
}

/**
 * Pulumi's SDK records a stack trace on every promise it creates, only for its leaked-promise report.
 * A Proxmox VM has ~90 properties with four promises each, and formatting those traces (through
 * source maps under tsx) was most of the registration time at 2,000 filings (bench/program.ts).
 * Resource constructors run synchronously here, so switching traces off around them is enough.
 */
function withoutPromiseStackTraces<T>(register: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return register();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
