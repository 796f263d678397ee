/**
 * The program run without a platform: Pulumi's own mock monitor, with a record of every registration
 * including the resource options the plain mocks drop (protect, ignoreChanges, parent). Tests check
 * the program's safety settings with it, and `filing policy` runs the policy pack over what it records.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Zone } from "../lib/filings/model";
import type { StackConfig } from "../lib/stack-files/config";
import { defineProgram, type ProgramInput } from "./program";

export interface Registered {
  type: string;
  name: string;
  urn: string;
  parent: string;
  custom: boolean;
  inputs: Record<string, any>;
  protect: boolean;
  ignoreChanges: string[];
}

export interface Invoked {
  token: string;
  inputs: Record<string, any>;
}

let nextProxmoxId = 100;

/** The id the mocks give a resource: vSphere ids look like UUIDs and Proxmox ids like "<name>-id". */
export function mockId(type: string, name: string): string {
  return type.startsWith("vsphere:") ? `uuid-${name}` : `${name}-id`;
}

/** The network id the simulated vCenter gives a port group. */
export function simulatedNetworkId(portGroup: string): string {
  return `network-${portGroup}`;
}

/** Answers for the vSphere lookups the program makes, as a small vCenter would. */
function answer(token: string, inputs: Record<string, any>): Record<string, any> {
  if (record.absent.has(inputs.name)) {
    // As the provider says it (terraform-provider-vsphere's data sources on the simulated vCenter); the
    // SDK reads a failed invoke's message from the gRPC error's `details`.
    const details = `invoking ${token}: 1 error occurred:\n\t* ${token.split(":").pop()} '${inputs.name}' not found`;
    throw Object.assign(new Error(details), { details });
  }
  switch (token) {
    case "vsphere:index/getDatacenter:getDatacenter":
      return { id: "datacenter-3", name: inputs.name };
    case "vsphere:index/getComputeCluster:getComputeCluster":
      return { id: "domain-c8", resourcePoolId: "resgroup-9" };
    case "vsphere:index/getDatastore:getDatastore":
      return { id: "datastore-11" };
    case "vsphere:index/getNetwork:getNetwork":
      return { id: simulatedNetworkId(inputs.name), type: "Network" };
    case "vsphere:index/getCustomAttribute:getCustomAttribute":
      return { id: `attribute-${inputs.name}`, name: inputs.name, managedObjectType: "VirtualMachine" };
    case "vsphere:index/getVirtualMachine:getVirtualMachine":
      return {
        id: "4213f9c2-template-uuid",
        guestId: "ubuntu64Guest",
        scsiType: "pvscsi",
        firmware: "efi",
        networkInterfaceTypes: ["vmxnet3"],
        disks: [{ size: 20, thinProvisioned: true, label: "disk0" }],
      };
    default:
      throw new Error(`unexpected invoke ${token}`);
  }
}

/** What the program registered and looked up; `absent`: names the simulated vCenter does not have. */
export const record = { resources: [] as Registered[], invokes: [] as Invoked[], pending: 0, absent: new Set<string>() };

export function resetRecord(): void {
  record.resources = [];
  record.invokes = [];
  record.pending = 0;
  record.absent = new Set();
}

/**
 * `keep: false` only counts registrations, without decoding their inputs, and `echo: false` answers
 * with the computed outputs alone: the benchmark measures the program, not the mock monitor.
 */
let installed = false;

export async function installMocks(options: { keep?: boolean; echo?: boolean } = {}): Promise<void> {
  const keep = options.keep ?? true;
  const echo = options.echo ?? true;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const state: Record<string, any> = echo ? { ...args.inputs } : {};
        if (args.type === "proxmoxve:index/vmLegacy:VmLegacy") state.vmId = nextProxmoxId++;
        // vCenter powers a clone on, and nothing in the program can power it off (the provider's powerState is read-only).
        if (args.type === "vsphere:index/virtualMachine:VirtualMachine") Object.assign(state, { uuid: `uuid-${args.name}`, powerState: "on" });
        return { id: mockId(args.type, args.name), state };
      },
      call(args) {
        record.invokes.push({ token: args.token, inputs: args.inputs });
        return answer(args.token, args.inputs);
      },
    },
    "server-filings",
    "test",
    false,
  );
  installed = true;
  const monitor = (pulumi.runtime as any).getMonitor();
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: unknown, res: unknown) => void) => {
    record.pending++;
    return original(req, (err: unknown, res: any) => {
      record.pending--;
      if (!err && keep) {
        record.resources.push({
          type: req.getType(),
          name: req.getName(),
          urn: res.getUrn(),
          parent: req.getParent(),
          custom: req.getCustom(),
          inputs: pulumi.runtime.deserializeProperties(req.getObject()),
          protect: req.getProtect() === true,
          ignoreChanges: req.getIgnorechangesList(),
        });
      }
      callback(err, res);
    });
  };
}

/** Waits until every registration the program started has been answered. */
export async function settle(): Promise<void> {
  let quiet = 0;
  while (quiet < 5) {
    await new Promise((r) => setImmediate(r));
    quiet = record.pending === 0 ? quiet + 1 : 0;
  }
}

export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/**
 * Runs the program for one stack under the mocks and returns what it registered. Rejects as the
 * program does (an invalid register or stack config), before anything is registered.
 */
/**
 * The program's resources under the mocks. The mocks run as stack "test"; `stack` names the stack
 * in the URNs instead, as the engine would, for the policies that judge a stack by its name (which
 * filings it owns). There is no engine to show the program's notices: they go to `input.notify`
 * (filing policy reports them), else nowhere.
 */
export async function simulateProgram(input: ProgramInput, stack?: string): Promise<Registered[]> {
  if (!installed) await installMocks();
  resetRecord();
  const outputs = await defineProgram({ notify: () => {}, ...input });
  await Promise.all(Object.values(outputs).flatMap((o) => (o.platformId ? [resolved(o.platformId)] : [])));
  await settle();
  if (stack !== undefined) {
    // In place: at thousands of filings a renamed copy of every record raised `filing policy`'s peak memory.
    const named = (urn: string) => urn.replace(/^urn:pulumi:test::/, `urn:pulumi:${stack}::`);
    for (const r of record.resources) {
      r.urn = named(r.urn);
      if (r.parent) r.parent = named(r.parent);
    }
  }
  return record.resources;
}

/** The pack's `zoneNetworks` for a stack run under the mocks: the simulated vSphere ids (Proxmox needs none). */
export function simulatedZoneNetworks(stack: StackConfig): { vsphere?: Record<Zone | "quarantine", string[]> } {
  if (stack.platform !== "vsphere") return {};
  return {
    vsphere: {
      internal: [simulatedNetworkId(stack.networks.internal.portGroup)],
      external: [simulatedNetworkId(stack.networks.external.portGroup)],
      quarantine: [simulatedNetworkId(stack.quarantine.internal.portGroup), simulatedNetworkId(stack.quarantine.external.portGroup)],
    },
  };
}
