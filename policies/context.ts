import path from "node:path";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { complianceContext, zoneNetworksOf, type ComplianceContext, type ZoneNetworks } from "../lib/compliance/context";
import { readFilingFiles } from "../lib/filings/read";
import { readConfigFiles } from "../lib/config/read";
import { calendarDate, isIsoDate } from "../lib/filings/dates";
import { PROJECT, type Platform, type StackConfig } from "../lib/stack-files/config";
import { availableStacks, openStack, readStackOwners } from "../lib/stack-files/read";

/**
 * The pack's settings. Pulumi keeps config per policy, so every policy declares the same schema;
 * the defaults judge VMs against this repository's register on today's date.
 */
export interface PackConfig {
  /** Register root (holding filings/, policies/, stacks/); default: the repository this pack is in. */
  readonly root?: string;
  /** Judge periods as of this day (YYYY-MM-DD); default: today in China Standard Time. */
  readonly today?: string;
  /** Overrides limits.expiryGraceDays. */
  readonly expiryGraceDays?: number;
  /** Network identifiers per platform and zone, added to the Proxmox bridges the stack files name. */
  readonly zoneNetworks?: { readonly [P in Platform]?: { readonly internal?: readonly string[]; readonly external?: readonly string[]; readonly quarantine?: readonly string[] } };
  /** Stacks of this Pulumi project must hold a VM for every active virtual filing. */
  readonly project?: string;
}

const ZONE_LISTS = {
  type: "object",
  additionalProperties: false,
  properties: {
    internal: { type: "array", items: { type: "string", minLength: 1 } },
    external: { type: "array", items: { type: "string", minLength: 1 } },
    quarantine: { type: "array", items: { type: "string", minLength: 1 } },
  },
} as const;

export const PACK_CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    root: { type: "string", default: "", description: "Register root; empty means the repository that holds this pack." },
    today: { type: "string", pattern: "^(\\d{4}-\\d{2}-\\d{2})?$", default: "", description: "Date periods are judged on; empty means today (Asia/Shanghai)." },
    expiryGraceDays: { type: "integer", minimum: 0, maximum: 3650, description: "Overrides limits.expiryGraceDays from policies/limits.yaml." },
    zoneNetworks: {
      type: "object",
      additionalProperties: false,
      properties: { vsphere: ZONE_LISTS, proxmox: ZONE_LISTS },
      description: "Network identifiers per platform and zone: vSphere network ids (e.g. dvportgroup-41), Proxmox bridge or bridge.vlan.",
    },
    project: { type: "string", minLength: 1, default: PROJECT, description: "Pulumi project whose stacks must hold every active virtual filing." },
  },
};

const DEFAULT_ROOT = path.resolve(__dirname, "..");

export function rootOf(config: PackConfig): string {
  return config.root ? path.resolve(config.root) : DEFAULT_ROOT;
}

export function projectOf(config: PackConfig): string {
  return config.project || PROJECT;
}

function stackConfigs(root: string): StackConfig[] {
  return availableStacks(root).flatMap((name) => {
    const opened = openStack(root, name);
    return "config" in opened ? [opened.config] : [];
  });
}

function withConfigured(base: ZoneNetworks, extra: PackConfig["zoneNetworks"]): ZoneNetworks {
  const merge = (p: Platform) => ({
    internal: [...new Set([...base[p].internal, ...(extra?.[p]?.internal ?? [])])],
    external: [...new Set([...base[p].external, ...(extra?.[p]?.external ?? [])])],
    quarantine: [...new Set([...base[p].quarantine, ...(extra?.[p]?.quarantine ?? [])])],
  });
  return { vsphere: merge("vsphere"), proxmox: merge("proxmox") };
}

const cache = new Map<string, ComplianceContext>();

/**
 * The register as the policies judge it, read and planned once per distinct config: the engine calls
 * every resource policy once per resource, and re-reading the register each time would be quadratic.
 */
export function contextFor(config: PackConfig): ComplianceContext {
  // Keyed by the raw settings, so a hit costs no date or path work: the engine calls this for every
  // resource and policy. The day is therefore fixed by the first evaluation of a pack process.
  const key = `${config.root ?? ""}\u0000${config.today ?? ""}\u0000${config.expiryGraceDays ?? ""}\u0000${zoneNetworksKey(config.zoneNetworks)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const root = rootOf(config);
  const today = config.today || calendarDate(new Date());
  if (!isIsoDate(today)) throw new Error(`policy config today: "${today}" is not a date (YYYY-MM-DD)`);
  const owners = readStackOwners(root);
  const context = complianceContext({
    register: { filings: readFilingFiles(root), config: readConfigFiles(root), today, stacks: owners.owners },
    stackProblems: owners.problems,
    graceDays: config.expiryGraceDays,
    zoneNetworks: withConfigured(zoneNetworksOf(stackConfigs(root)), config.zoneNetworks),
  });
  cache.set(key, context);
  return context;
}

// The engine builds a new config object on every getConfig() call, but the nested settings are the
// same objects each time, so their serialisation is remembered rather than redone per resource.
const serialised = new WeakMap<object, string>();

function zoneNetworksKey(zoneNetworks: PackConfig["zoneNetworks"]): string {
  if (!zoneNetworks) return "";
  let key = serialised.get(zoneNetworks);
  if (key === undefined) serialised.set(zoneNetworks, (key = JSON.stringify(zoneNetworks)));
  return key;
}

/** Drops the read registers, so the next evaluation starts as a fresh pack process would (the benchmark's cold runs). */
export function forgetContexts(): void {
  cache.clear();
}
