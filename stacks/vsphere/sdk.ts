/**
 * The few parts of the vSphere provider this program uses, declared by hand because @pulumi/vsphere
 * is not served by the registry we can reach (DESIGN §6). Tokens and property names are the
 * provider's own (pulumi-vsphere v4.17.0 schema.json), so the real provider plugin runs them unchanged.
 */
import * as pulumi from "@pulumi/pulumi";

/** The provider plugin version these declarations were checked against; the engine loads this one. */
export const VSPHERE_PROVIDER_VERSION = "4.17.0";

const withVersion = <T extends pulumi.CustomResourceOptions | pulumi.InvokeOptions>(opts: T | undefined): T =>
  ({ version: VSPHERE_PROVIDER_VERSION, ...opts }) as T;

export interface VirtualMachineDiskArgs {
  label: pulumi.Input<string>;
  size: pulumi.Input<number>;
  thinProvisioned?: pulumi.Input<boolean>;
  unitNumber?: pulumi.Input<number>;
}

export interface VirtualMachineNetworkInterfaceArgs {
  networkId: pulumi.Input<string>;
  adapterType?: pulumi.Input<string>;
}

export interface VirtualMachineCloneArgs {
  templateUuid: pulumi.Input<string>;
  customize?: pulumi.Input<{
    linuxOptions?: pulumi.Input<{ hostName: pulumi.Input<string>; domain: pulumi.Input<string> }>;
    networkInterfaces?: pulumi.Input<pulumi.Input<{ ipv4Address?: pulumi.Input<string>; ipv4Netmask?: pulumi.Input<number> }>[]>;
    ipv4Gateway?: pulumi.Input<string>;
    dnsServerLists?: pulumi.Input<pulumi.Input<string>[]>;
    dnsSuffixLists?: pulumi.Input<pulumi.Input<string>[]>;
  }>;
}

export interface VirtualMachineArgs {
  name: pulumi.Input<string>;
  resourcePoolId: pulumi.Input<string>;
  datastoreId: pulumi.Input<string>;
  folder?: pulumi.Input<string>;
  numCpus: pulumi.Input<number>;
  /** MiB. */
  memory: pulumi.Input<number>;
  guestId?: pulumi.Input<string>;
  scsiType?: pulumi.Input<string | undefined>;
  firmware?: pulumi.Input<string | undefined>;
  networkInterfaces: pulumi.Input<pulumi.Input<VirtualMachineNetworkInterfaceArgs>[]>;
  /** Sizes in GB as the provider counts them (GiB). */
  disks: pulumi.Input<pulumi.Input<VirtualMachineDiskArgs>[]>;
  clone?: pulumi.Input<VirtualMachineCloneArgs>;
  annotation?: pulumi.Input<string>;
  /** Custom attribute id → value. */
  customAttributes?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class VirtualMachine extends pulumi.CustomResource {
  static readonly __pulumiType = "vsphere:index/virtualMachine:VirtualMachine";

  static override isInstance(obj: unknown): obj is VirtualMachine {
    return pulumi.CustomResource.isInstance(obj) && (obj as { __pulumiType?: string }).__pulumiType === VirtualMachine.__pulumiType;
  }

  // `declare`: with ES2022 class fields a plain field would overwrite what the base constructor set.
  declare readonly name: pulumi.Output<string>;
  declare readonly numCpus: pulumi.Output<number>;
  declare readonly memory: pulumi.Output<number>;
  declare readonly disks: pulumi.Output<{ label: string; size: number }[]>;
  declare readonly networkInterfaces: pulumi.Output<{ networkId: string }[]>;
  declare readonly annotation: pulumi.Output<string | undefined>;
  declare readonly customAttributes: pulumi.Output<Record<string, string> | undefined>;
  /** Output only: the VM's BIOS UUID, also its id. */
  declare readonly uuid: pulumi.Output<string>;
  declare readonly moid: pulumi.Output<string>;
  /** Output only: `on`, `off` or `suspended`. */
  declare readonly powerState: pulumi.Output<string>;
  declare readonly defaultIpAddress: pulumi.Output<string>;

  constructor(name: string, args: VirtualMachineArgs, opts?: pulumi.CustomResourceOptions) {
    // Output-only keys are passed as undefined so the engine fills them in.
    const inputs: pulumi.Inputs = { ...args, uuid: undefined, moid: undefined, powerState: undefined, defaultIpAddress: undefined };
    super(VirtualMachine.__pulumiType, name, inputs, withVersion(opts));
  }
}

export interface CustomAttributeArgs {
  name: pulumi.Input<string>;
  managedObjectType?: pulumi.Input<string>;
}

export class CustomAttribute extends pulumi.CustomResource {
  static readonly __pulumiType = "vsphere:index/customAttribute:CustomAttribute";
  declare readonly name: pulumi.Output<string>;
  declare readonly managedObjectType: pulumi.Output<string | undefined>;

  constructor(name: string, args: CustomAttributeArgs, opts?: pulumi.CustomResourceOptions) {
    super(CustomAttribute.__pulumiType, name, { ...args }, withVersion(opts));
  }
}

/**
 * Lookups as promises, not Outputs: the program awaits every one before it registers anything. A
 * failed invoke inside an Output left the resources that used it, and the stack's outputs, waiting
 * forever (a port group missing in vCenter hung `filing preview` until interrupted).
 */
const invoke = <T>(fn: string, args: pulumi.Inputs, opts?: pulumi.InvokeOptions): Promise<T> =>
  pulumi.runtime.invoke(`vsphere:index/${fn}:${fn}`, args, withVersion(opts)) as Promise<T>;

export const getDatacenter = (args: { name: string }, opts?: pulumi.InvokeOptions) => invoke<{ id: string; name?: string }>("getDatacenter", args, opts);

export const getComputeCluster = (args: { name: string; datacenterId: string }, opts?: pulumi.InvokeOptions) =>
  invoke<{ id: string; resourcePoolId: string }>("getComputeCluster", args, opts);

export const getDatastore = (args: { name: string; datacenterId: string }, opts?: pulumi.InvokeOptions) => invoke<{ id: string }>("getDatastore", args, opts);

export const getNetwork = (args: { name: string; datacenterId: string }, opts?: pulumi.InvokeOptions) => invoke<{ id: string; type?: string }>("getNetwork", args, opts);

export const getCustomAttribute = (args: { name: string }, opts?: pulumi.InvokeOptions) =>
  invoke<{ id: string; name?: string; managedObjectType?: string }>("getCustomAttribute", args, opts);

export interface TemplateInfo {
  id: string;
  guestId: string;
  scsiType?: string;
  firmware?: string;
  networkInterfaceTypes?: string[];
  disks?: { size: number; thinProvisioned?: boolean; label?: string }[];
}

export const getVirtualMachine = (args: { name: string; datacenterId: string }, opts?: pulumi.InvokeOptions) => invoke<TemplateInfo>("getVirtualMachine", args, opts);
