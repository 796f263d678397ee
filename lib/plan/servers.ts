import type { InstitutionConfig, NetworkZone } from "../config/model";
import { expiry } from "../filings/expiry";
import type { Exposure, Filing, Scope, ServerType, Status, Zone } from "../filings/model";
import type { LoadedFiling } from "../filings/parse";
import type { IsoDate } from "../filings/dates";
import { parseSubnet } from "../net/ip";
import { hasErrors, type Problem } from "../problems";
import { parsePort } from "../net/port";
import { validateRegister, type RegisterInput } from "../validate";

/**
 * Where a filed server stands, which decides what the program does with its VM:
 * - `running`: active and within its period (or its grace period) — VM on, protected;
 * - `expired`: active but past period end + grace — VM kept with its data, powered off;
 * - `decommissioned`: backup recorded — VM powered off and unprotected, so that a later pull request
 *   that removes the file can delete it;
 * - `physical`: no VM; listed in outputs and reports only.
 */
export type ServerState = "running" | "expired" | "decommissioned" | "physical";
export type Power = "on" | "off";

/**
 * The states whose VM must not serve. Proxmox powers such a VM off; vSphere's provider cannot, so
 * there its NIC goes to the zone's quarantine port group, and a decommissioned VM is powered off by
 * hand in vCenter (what `filing drift` and the removal check read back).
 */
export const outOfService = (state: ServerState): boolean => state === "expired" || state === "decommissioned";

/**
 * Whether the platform must report a VM in `state` powered off: on Proxmox whenever it is out of
 * service (the deploy powers it off); on vSphere once decommissioned (by hand, the provider cannot),
 * while an expired vSphere VM may run on in quarantine until it is renewed.
 */
export const mustBeOff = (platform: "vsphere" | "proxmox", state: ServerState): boolean =>
  platform === "proxmox" ? outOfService(state) : state === "decommissioned";

export interface OpenPort {
  readonly port: number;
  readonly protocol: "tcp" | "udp";
  /** The only sources allowed to reach it (network.exposures); absent: any source. */
  readonly sources?: readonly string[];
}

/** The VM a filing authorizes, in the units the platforms take. */
export interface VmSpec {
  /** Guest host name and VM name: the filing id (ASCII, ≤ 63 characters by the schema). */
  readonly name: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** In filing order: the first is the system disk. */
  readonly disksGiB: readonly number[];
  readonly zone: Zone;
  readonly ip: string;
  readonly prefixLength: number;
  readonly gateway: string;
  readonly dns: readonly string[];
  /** Ports to open inbound; only in the external zone (the internal zone is not filtered per VM). */
  readonly openPorts: readonly OpenPort[];
  readonly power: Power;
  /** Pulumi `protect` and the platform's own deletion protection. */
  readonly protect: boolean;
}

/** One per filing: the single desired state the program, `filing plan`, the policy pack and reports read. */
export interface ServerSpec {
  readonly id: string;
  readonly file: string;
  readonly department: string;
  readonly departmentName: string;
  readonly type: ServerType;
  readonly status: Status;
  readonly state: ServerState;
  readonly purpose: string;
  readonly scope: Scope;
  readonly administrator: { readonly name: string; readonly phone: string; readonly email: string; readonly account?: string };
  readonly period: { readonly start: IsoDate; readonly end: IsoDate; readonly daysLeft: number };
  readonly resources: { readonly cpu: number; readonly memoryGiB: number; readonly disksGiB: readonly number[] };
  readonly network: { readonly zone: Zone; readonly ip: string; readonly ports: readonly string[]; readonly exposures?: readonly Exposure[] };
  /** The responsibility-letter version the department signed. */
  readonly letter: string;
  /** Physical servers: the maintenance contract, as filed. */
  readonly maintenance?: { readonly vendor: string; readonly underWarranty: boolean; readonly technician: { readonly name: string; readonly phone: string } };
  /** Absent for physical servers. */
  readonly vm?: VmSpec;
}

export interface PlanInput {
  /** Filings that passed validation without errors. */
  readonly filings: readonly LoadedFiling[];
  readonly config: InstitutionConfig;
  readonly today: IsoDate;
}

function stateOf(filing: Filing, pastGrace: boolean): ServerState {
  if (filing.type === "physical") return "physical";
  if (filing.status === "decommissioned") return "decommissioned";
  return pastGrace ? "expired" : "running";
}

function prefixLength(zone: NetworkZone): number {
  const subnet = parseSubnet(zone.subnet);
  // The config check refuses a malformed subnet before planning, so this only guards a broken invariant.
  if (!subnet) throw new Error(`network zone subnet ${zone.subnet} is not a CIDR`);
  return subnet.prefixLength;
}

function vmSpec(filing: Filing, state: ServerState, zone: NetworkZone, zonePrefixLength: number): VmSpec {
  return {
    name: filing.id,
    cpu: filing.resources.cpu,
    memoryMiB: filing.resources.memoryGiB * 1024,
    disksGiB: filing.resources.disks.map((d) => d.sizeGiB),
    zone: filing.network.zone,
    ip: filing.network.ip,
    prefixLength: zonePrefixLength,
    gateway: zone.gateway,
    dns: [...zone.dns],
    openPorts:
      filing.network.zone === "external"
        ? filing.network.ports.flatMap((spec) => {
            const p = parsePort(spec);
            const sources = filing.network.exposures?.find((e) => e.port === spec)?.sources;
            return p ? [sources ? { ...p, sources: [...sources] } : p] : [];
          })
        : [],
    power: outOfService(state) ? "off" : "on",
    protect: state !== "decommissioned",
  };
}

/**
 * Register → desired state, one ServerSpec per filing, sorted by id. Pure: `today` is an input.
 * Expects filings that passed validation; see planRegister for the checked path.
 */
export function planServers(input: PlanInput): ServerSpec[] {
  const names = new Map(input.config.departments.map((d) => [d.slug, d.name]));
  const grace = input.config.limits.expiryGraceDays;
  const { zones } = input.config.networks;
  const prefixLengths = { internal: prefixLength(zones.internal), external: prefixLength(zones.external) };
  return input.filings
    .map(({ file, filing }): ServerSpec => {
      const { end, daysLeft, pastGrace } = expiry(filing.period, input.today, grace);
      const state = stateOf(filing, pastGrace);
      return {
        id: filing.id,
        file,
        department: filing.department,
        departmentName: names.get(filing.department) ?? filing.department,
        type: filing.type,
        status: filing.status,
        state,
        purpose: filing.purpose,
        scope: filing.scope,
        administrator: {
          name: filing.administrator.name,
          phone: filing.administrator.phone,
          email: filing.administrator.email,
          ...(filing.administrator.account === undefined ? {} : { account: filing.administrator.account }),
        },
        period: { start: filing.period.start, end, daysLeft },
        resources: {
          cpu: filing.resources.cpu,
          memoryGiB: filing.resources.memoryGiB,
          disksGiB: filing.resources.disks.map((d) => d.sizeGiB),
        },
        network: { zone: filing.network.zone, ip: filing.network.ip, ports: [...filing.network.ports], ...(filing.network.exposures ? { exposures: filing.network.exposures.map((e) => ({ ...e, sources: [...e.sources] })) } : {}) },
        letter: filing.commitments.responsibilityLetter,
        ...(filing.maintenance ? { maintenance: { vendor: filing.maintenance.vendor, underWarranty: filing.maintenance.underWarranty, technician: { ...filing.maintenance.technician } } } : {}),
        vm: state === "physical" ? undefined : vmSpec(filing, state, zones[filing.network.zone], prefixLengths[filing.network.zone]),
      };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface RegisterPlan {
  /** Present only when the register has no errors: an invalid register plans nothing. */
  readonly servers?: ServerSpec[];
  /** Everything the validator found, warnings included. */
  readonly problems: readonly Problem[];
  readonly filingCount: number;
  /** The institution config the plan was made with (absent with the servers). */
  readonly config?: InstitutionConfig;
}

/** Validate, then plan — or plan nothing and return the validator's problems. */
export function planRegister(input: RegisterInput): RegisterPlan {
  const result = validateRegister(input);
  const filingCount = input.filings.length;
  if (hasErrors(result.problems) || !result.config) return { problems: result.problems, filingCount };
  return {
    servers: planServers({ filings: result.filings, config: result.config.config, today: input.today }),
    problems: result.problems,
    filingCount,
    config: result.config.config,
  };
}
