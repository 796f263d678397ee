import type { InstitutionConfig } from "../config/model";
import type { Zone } from "../filings/model";
import type { IsoDate } from "../filings/dates";
import { planServers, type ServerSpec } from "../plan/servers";
import type { Problem } from "../problems";
import type { Platform, StackConfig } from "../stack-files/config";
import type { Ownership } from "../stack-files/owns";
import { validateRegister, type RegisterInput } from "../validate";
import { proxmoxNetworkName } from "./observed";

/**
 * Network identifiers per platform and zone: vSphere network ids, Proxmox `bridge` / `bridge.vlan`.
 * Per platform, because an empty list means "not known here" and one platform's names say nothing
 * about the other's.
 */
export type ZoneNetworks = Readonly<Record<Platform, PlatformNetworks>>;

/** Per zone, and (vSphere) the quarantine port group where an expired filing's VM is moved. */
export type PlatformNetworks = Readonly<Record<Zone | "quarantine", readonly string[]>>;

/** Everything the policies judge a VM against: the approved register as planned for `today`. */
export interface ComplianceContext {
  readonly servers: ReadonlyMap<string, ServerSpec>;
  /** Undefined when policies/ itself is broken (registerErrors says how). */
  readonly config: InstitutionConfig | undefined;
  readonly today: IsoDate;
  readonly graceDays: number;
  readonly zoneNetworks: ZoneNetworks;
  /** Errors in the register itself. While any stands no filing can be trusted, so every VM is refused. */
  readonly registerErrors: readonly Problem[];
  /** What each stack of the register owns, by stack name (undefined: every filing). */
  readonly stackOwns: ReadonlyMap<string, Ownership | undefined>;
}

export interface ContextInput {
  readonly register: RegisterInput;
  /** Overrides `limits.expiryGraceDays`. */
  readonly graceDays?: number;
  readonly zoneNetworks: ZoneNetworks;
  /** Problems of the stack files, when one is broken (lib/stack-files/read.ts readStackOwners). */
  readonly stackProblems?: readonly Problem[];
}

/** Validates and plans the register once; the policies then only look things up. Pure. */
export function complianceContext(input: ContextInput): ComplianceContext {
  const result = validateRegister(input.register);
  // A broken stack file leaves unknown who owns what: as much an error as one in the register.
  const registerErrors = [...(input.stackProblems ?? []), ...result.problems].filter((p) => p.severity === "error");
  const loaded = result.config?.config;
  const stackOwns = new Map((input.register.stacks ?? []).map((s) => [s.name, s.owns]));
  const base = { today: input.register.today, zoneNetworks: input.zoneNetworks, registerErrors, stackOwns };
  if (!loaded || registerErrors.length > 0) {
    return { ...base, servers: new Map(), config: loaded, graceDays: input.graceDays ?? loaded?.limits.expiryGraceDays ?? 0 };
  }
  const graceDays = input.graceDays ?? loaded.limits.expiryGraceDays;
  const config: InstitutionConfig = { ...loaded, limits: { ...loaded.limits, expiryGraceDays: graceDays } };
  const servers = planServers({ filings: result.filings, config, today: input.register.today });
  return { ...base, servers: new Map(servers.map((s) => [s.id, s])), config, graceDays };
}

/**
 * The zone networks the stack files name, where a name is what the VM resource carries: Proxmox
 * bridges and VLANs. vSphere VMs carry network ids that only vCenter knows, so vSphere stacks add
 * nothing here (the pack's `zoneNetworks.vsphere` config takes them).
 */
export function zoneNetworksOf(stacks: readonly StackConfig[]): ZoneNetworks {
  const proxmox: Record<Zone, string[]> = { internal: [], external: [] };
  for (const stack of stacks) {
    if (stack.platform !== "proxmox") continue;
    for (const zone of ["internal", "external"] as const) {
      const n = stack.networks[zone];
      const name = proxmoxNetworkName(n.bridge, n.vlanId);
      if (!proxmox[zone].includes(name)) proxmox[zone].push(name);
    }
  }
  return { proxmox: { ...proxmox, quarantine: [] }, vsphere: { internal: [], external: [], quarantine: [] } };
}
