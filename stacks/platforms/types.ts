import type * as pulumi from "@pulumi/pulumi";
import type { Message } from "../../lib/messages";
import type { ServerSpec, VmSpec } from "../../lib/plan/servers";
import type { Platform, StackConfig, StackConfigInput } from "../../lib/stack-files/config";

/** A filed server that has a VM. */
export type VirtualServer = ServerSpec & { readonly vm: VmSpec };

export interface CreatedVm {
  /** The platform's id for the VM (vSphere UUID, Proxmox VM id). */
  readonly platformId: pulumi.Output<string>;
  /**
   * The power state as the platform reports it, where the program cannot set it (vSphere: read-only
   * to the provider); absent where the program's own input decides it (Proxmox `started`).
   */
  readonly power?: pulumi.Output<string>;
}

/** Creates VMs on one site of one platform; made once per stack by the platform's adapter. */
export interface Provisioner {
  createVm(server: VirtualServer, parent: pulumi.Resource): CreatedVm;
}

/**
 * Tells the operator something the program cannot act on itself (a VM to power off by hand). Under
 * the Pulumi CLI it is the engine's warning; `filing policy` collects it and prints it in one language.
 */
export type Notify = (message: Message, resource?: pulumi.Resource) => void;

/** The stack file a config came from, so that the program can point at a key of it. */
export type StackWhere = Pick<StackConfigInput, "file" | "locate">;

export interface AdapterContext {
  readonly notify: Notify;
  /** The filings with a VM this stack provisions (the site may need something only for some). */
  readonly servers: readonly VirtualServer[];
  readonly stack: StackWhere;
  /** Filings whose VM the platform reported powered off just before this run (Deployment.off). */
  readonly off?: ReadonlySet<string>;
}

/**
 * What `filing up` knows of the stack before it runs the program: which filings have a VM in the
 * stack's state (its last outputs), and which of the VMs that must be off the platform reports off
 * (read just before, scripts/cli/engine.ts). Absent under a bare `pulumi up` and in `filing policy`.
 */
export interface Deployment {
  readonly deployed: ReadonlySet<string>;
  readonly off: ReadonlySet<string>;
  /** Filings left out of this run (never deployed, refused by the pack at deploy time). */
  readonly skip?: ReadonlySet<string>;
}

/**
 * From a checked stack config to a provisioner for that site. Whatever it looks up on the platform
 * is settled before it returns, so that a name the platform lacks stops the program before
 * anything is registered.
 */
export type PlatformAdapter<P extends Platform> = (config: Extract<StackConfig, { platform: P }>, context: AdapterContext) => Promise<Provisioner>;
