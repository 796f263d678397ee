import { exposureFromNote, filingIdFromNote, tagValues } from "../plan/labels";
import type { Platform } from "../stack-files/config";

/**
 * During a preview some inputs are not known yet (an id another resource will get). The pack's edge
 * replaces them with this marker, so the checks can skip exactly what cannot be judged yet instead of
 * the whole policy being skipped.
 */
export const UNKNOWN: unique symbol = Symbol("unknown until the resource is created");
export type Unknown = typeof UNKNOWN;
export type Known<T> = T | Unknown;

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/** Plain data as the policies receive it, with UNKNOWN where the engine had no value yet. */
export type Props = Record<string, unknown>;

/** What a VM resource asks the platform for, in the filing's terms. */
export interface ObservedVm {
  readonly platform: Platform;
  /** Distinct filing ids its labels name: Proxmox tags and description, vSphere annotation. */
  readonly filingIds: Known<readonly string[]>;
  /**
   * vSphere custom attribute values (keyed by attribute ids only vCenter knows, so read as a bag of
   * values); UNKNOWN until the attributes exist. Values that are filing ids count as labels.
   */
  readonly attributeValues: Known<readonly string[]>;
  /** Departments its labels name (Proxmox `dept.` tags); empty when it names none. */
  readonly departments: Known<readonly string[]>;
  readonly cpu: Known<number>;
  readonly memoryMiB: Known<number>;
  /** Undefined when the resource declares no disks (a clone then keeps the template's, unchecked). */
  readonly disksGiB: Known<readonly Known<number | undefined>[]> | undefined;
  /** One identifier per NIC: vSphere network id, Proxmox `bridge` or `bridge.vlan`. Undefined when undeclared. */
  readonly networks: Known<readonly Known<string | undefined>[]> | undefined;
  /** Static IPv4 addresses it configures in the guest; "dhcp" where it asks for DHCP. */
  readonly ips: Known<readonly Known<string>[]>;
  readonly power: Known<"on" | "off">;
  /** Proxmox's own deletion protection; undefined on vSphere, which has none. */
  readonly platformProtection: Known<boolean> | undefined;
  /** Proxmox: whether each NIC has the VM firewall on. */
  readonly nicFirewall: Known<readonly Known<boolean>[]>;
  /** vSphere: the exposure its annotation records (the provider has no firewall); undefined elsewhere or when absent. */
  readonly recordedExposure: Known<string | undefined>;
}

/**
 * The inputs each reader looks at. The pack copies only these out of the engine's proxy: a Proxmox VM
 * has ~90 inputs, and copying all of them for every policy was most of the pack's time.
 */
export const VM_INPUT_KEYS: Readonly<Record<Platform, readonly string[]>> = {
  proxmox: ["tags", "description", "cpu", "memory", "disks", "networkDevices", "initialization", "started", "protection", "vmId"],
  vsphere: ["annotation", "customAttributes", "numCpus", "memory", "disks", "networkInterfaces", "clone", "powerState"],
};

const isRecord = (v: unknown): v is Props => typeof v === "object" && v !== null && !Array.isArray(v) && !isUnknown(v);

/** A value at a path, UNKNOWN if any step is unknown, undefined if absent. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let cur = value;
  for (const key of path) {
    if (isUnknown(cur)) return UNKNOWN;
    if (Array.isArray(cur) && typeof key === "number") cur = cur[key];
    else if (isRecord(cur) && typeof key === "string") cur = cur[key];
    else return undefined;
  }
  return cur;
}

function num(value: unknown, fallback: number): Known<number> {
  if (isUnknown(value)) return UNKNOWN;
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function list(value: unknown): Known<unknown[]> | undefined {
  if (isUnknown(value)) return UNKNOWN;
  return Array.isArray(value) ? value : undefined;
}

function mapList<T>(value: unknown, f: (item: unknown) => Known<T>): Known<Known<T>[]> | undefined {
  const items = list(value);
  if (items === undefined || isUnknown(items)) return items;
  return items.map((item) => (isUnknown(item) ? UNKNOWN : f(item)));
}

function strings(value: unknown): Known<string[]> {
  const items = list(value);
  if (isUnknown(items)) return UNKNOWN;
  if (!items || items.some(isUnknown)) return items ? UNKNOWN : [];
  return items.filter((t): t is string => typeof t === "string");
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function idsFrom(fromLabels: Known<string[]>, note: unknown): Known<string[]> {
  if (isUnknown(fromLabels) || isUnknown(note)) return UNKNOWN;
  const noted = typeof note === "string" ? filingIdFromNote(note) : undefined;
  return distinct([...fromLabels, ...(noted ? [noted] : [])]);
}

function address(value: unknown): Known<string> {
  if (isUnknown(value)) return UNKNOWN;
  if (typeof value !== "string") return "";
  // Proxmox writes `ip/prefix` (or "dhcp"); the filing holds the bare address.
  return value.split("/", 1)[0]!;
}

/** How a Proxmox NIC's network is named in policy config: `bridge`, or `bridge.vlan` as Proxmox names VLAN interfaces. */
export function proxmoxNetworkName(bridge: string, vlanId: number | undefined): string {
  return vlanId !== undefined && vlanId > 0 ? `${bridge}.${vlanId}` : bridge;
}

/** Proxmox `VmLegacy` inputs → ObservedVm, with the provider's defaults where an input is absent. */
export function readProxmoxVm(props: Props): ObservedVm {
  const tags = strings(props.tags);
  const cores = num(at(props, "cpu", "cores"), 1);
  const sockets = num(at(props, "cpu", "sockets"), 1);
  const started = at(props, "started");
  const ipConfigs = list(at(props, "initialization", "ipConfigs"));
  return {
    platform: "proxmox",
    filingIds: idsFrom(isUnknown(tags) ? UNKNOWN : tagValues(tags, "filingId"), props.description),
    attributeValues: [],
    departments: isUnknown(tags) ? UNKNOWN : distinct(tagValues(tags, "department")),
    cpu: isUnknown(cores) || isUnknown(sockets) ? UNKNOWN : cores * sockets,
    memoryMiB: num(at(props, "memory", "dedicated"), 512),
    disksGiB: mapList(props.disks, (d) => num(at(d, "size"), 8)),
    networks: mapList(props.networkDevices, (n) => {
      const bridge = at(n, "bridge");
      const vlan = at(n, "vlanId");
      if (isUnknown(bridge) || isUnknown(vlan)) return UNKNOWN;
      return proxmoxNetworkName(typeof bridge === "string" ? bridge : "vmbr0", typeof vlan === "number" ? vlan : undefined);
    }),
    ips: ipConfigs === undefined ? [] : isUnknown(ipConfigs) ? UNKNOWN : ipConfigs.map((c) => address(at(c, "ipv4", "address"))).filter((a) => a !== ""),
    power: isUnknown(started) ? UNKNOWN : started === false ? "off" : "on",
    platformProtection: ((p) => (isUnknown(p) ? UNKNOWN : p === true))(at(props, "protection")),
    nicFirewall: mapList(props.networkDevices, (n) => {
      const f = at(n, "firewall");
      return isUnknown(f) ? UNKNOWN : f === true;
    }) ?? [],
    recordedExposure: undefined,
  };
}

function attributeValues(value: unknown): Known<string[]> {
  if (isUnknown(value)) return UNKNOWN;
  if (!isRecord(value)) return [];
  const values = Object.values(value);
  if (values.some(isUnknown)) return UNKNOWN;
  return values.filter((v): v is string => typeof v === "string");
}

/** Where the providers report a VM's power: vSphere's read-only `powerState`, Proxmox's `started`. */
export const POWER_OUTPUTS = ["powerState", "started"] as const;

/**
 * vSphere `VirtualMachine` inputs → ObservedVm. Power comes from the provider's read-only
 * `powerState` ("on", "off" or "suspended"), which only the stack's state has (after a create, update
 * or refresh), never a resource's inputs; anything but "off" or "on" is not known.
 */
export function readVsphereVm(props: Props): ObservedVm {
  const customized = list(at(props, "clone", "customize", "networkInterfaces"));
  const powerState = at(props, "powerState");
  return {
    platform: "vsphere",
    filingIds: idsFrom([], props.annotation),
    attributeValues: attributeValues(props.customAttributes),
    departments: [],
    cpu: num(props.numCpus, 1),
    memoryMiB: num(props.memory, 1024),
    disksGiB: mapList(props.disks, (d) => {
      const size = at(d, "size");
      return isUnknown(size) ? UNKNOWN : typeof size === "number" ? size : undefined;
    }),
    networks: mapList(props.networkInterfaces, (n) => {
      const id = at(n, "networkId");
      return isUnknown(id) ? UNKNOWN : typeof id === "string" ? id : undefined;
    }),
    ips: customized === undefined ? [] : isUnknown(customized) ? UNKNOWN : customized.map((c) => address(at(c, "ipv4Address"))).filter((a) => a !== ""),
    power: powerState === "off" ? "off" : powerState === "on" ? "on" : UNKNOWN,
    platformProtection: undefined,
    nicFirewall: [],
    recordedExposure: isUnknown(props.annotation) ? UNKNOWN : typeof props.annotation === "string" ? exposureFromNote(props.annotation) : undefined,
  };
}

export function readVm(platform: Platform, props: Props): ObservedVm {
  return platform === "proxmox" ? readProxmoxVm(props) : readVsphereVm(props);
}
