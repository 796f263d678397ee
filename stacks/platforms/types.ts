import type * as pulumi from "@pulumi/pulumi";
import type { Message } from "../../lib/messages";
import type { ServerSpec, VmSpec } from "../../lib/plan/servers";
import type { Platform, StackConfig } from "../../lib/stack-files/config";

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

/** From a checked stack config to a provisioner for that site. */
export type PlatformAdapter<P extends Platform> = (config: Extract<StackConfig, { platform: P }>, notify: Notify) => Provisioner;
