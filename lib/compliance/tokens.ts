import type { Platform } from "../stack-files/config";

/**
 * Pulumi type tokens the policy pack recognises. They are the providers' real tokens, so VMs made by
 * any program at the school — not only ours — are checked.
 */
export const VM_TYPES: Record<Platform, string> = {
  vsphere: "vsphere:index/virtualMachine:VirtualMachine",
  proxmox: "proxmoxve:index/vmLegacy:VmLegacy",
};

export const PROXMOX_FIREWALL = {
  rules: "proxmoxve:firewall/rulesLegacy:RulesLegacy",
  options: "proxmoxve:firewall/optionsLegacy:OptionsLegacy",
} as const;

/** The program's component per filing (named by the filing id), parent of the VM and its firewall. */
export const FILING_COMPONENT = "server-filings:index:FilingServer";

/** Names of a Proxmox VM's firewall resources: the VM's name (the filing id) and a suffix. */
export const FIREWALL_SUFFIX = { options: "-firewall", rules: "-ports" } as const;

/**
 * Other server resources of the Proxmox provider (the new VM resources and containers). The pack
 * cannot read their settings the same way, so it refuses them instead of letting them pass unchecked.
 */
export const UNSUPPORTED_SERVER_TYPES: readonly string[] = [
  "proxmoxve:index/vm:Vm",
  "proxmoxve:index/vm2Legacy:Vm2Legacy",
  "proxmoxve:cloned/vm:Vm",
  "proxmoxve:cloned/vmLegacy:VmLegacy",
  "proxmoxve:index/containerLegacy:ContainerLegacy",
];

/** The URN of the program's VM for filing `id` (a child of its FilingServer component). */
export const vmUrn = (stack: string, project: string, platform: Platform, id: string): string =>
  `urn:pulumi:${stack}::${project}::${FILING_COMPONENT}$${VM_TYPES[platform]}::${id}`;

/** Every resource the program makes for filing `id`: its component, its VM, and a Proxmox VM's firewall (children of the VM). */
export function filingUrns(stack: string, project: string, platform: Platform, id: string): string[] {
  const prefix = `urn:pulumi:${stack}::${project}::`;
  const vm = `${FILING_COMPONENT}$${VM_TYPES[platform]}`;
  const firewall = platform === "proxmox"
    ? [`${prefix}${vm}$${PROXMOX_FIREWALL.options}::${id}${FIREWALL_SUFFIX.options}`, `${prefix}${vm}$${PROXMOX_FIREWALL.rules}::${id}${FIREWALL_SUFFIX.rules}`]
    : [];
  return [`${prefix}${FILING_COMPONENT}::${id}`, vmUrn(stack, project, platform, id), ...firewall];
}

export function vmPlatform(type: string): Platform | undefined {
  if (type === VM_TYPES.vsphere) return "vsphere";
  if (type === VM_TYPES.proxmox) return "proxmox";
  return undefined;
}
