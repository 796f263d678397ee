import ipaddr from "ipaddr.js";
import type { AddressRange, NetworkZone } from "../config/model";

/** IPv4 dotted quad → unsigned 32-bit integer, or undefined when it is not one. */
export function ipv4ToInt(address: string): number | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return undefined;
  const b = ipaddr.IPv4.parse(address).toByteArray();
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

export function intToIpv4(value: number): string {
  return new ipaddr.IPv4([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]).toString();
}

export interface Subnet {
  readonly first: number;
  readonly last: number;
  readonly prefixLength: number;
}

/**
 * Parses `a.b.c.d/len`; undefined when malformed. The address is plain decimal: `010.8.0.0` (octal
 * 8.8.0.0 to ipaddr.js, 10.8.0.0 to a reader) is no address, as an IP address with a leading zero is not.
 */
export function parseSubnet(cidr: string): Subnet | undefined {
  const [address, length, ...rest] = cidr.split("/");
  if (rest.length > 0 || address === undefined || ipv4ToInt(address) === undefined || length === undefined || !/^(?:0|[1-9]\d?)$/.test(length)) return undefined;
  try {
    const [addr, len] = ipaddr.IPv4.parseCIDR(cidr);
    const first = ipv4ToInt(ipaddr.IPv4.networkAddressFromCIDR(cidr).toString());
    const last = ipv4ToInt(ipaddr.IPv4.broadcastAddressFromCIDR(cidr).toString());
    if (first === undefined || last === undefined || ipv4ToInt(addr.toString()) === undefined || len < 0) return undefined;
    return { first, last, prefixLength: len };
  } catch {
    return undefined;
  }
}

export function inRange(ip: number, range: AddressRange): boolean {
  const from = ipv4ToInt(range.from);
  const to = ipv4ToInt(range.to);
  return from !== undefined && to !== undefined && ip >= from && ip <= to;
}

/** Each zone's pool as numbers, read once per zone object: a register rule asks for every filing. */
const POOLS = new WeakMap<NetworkZone, readonly { readonly from: number; readonly to: number }[]>();

function poolOf(zone: NetworkZone): readonly { readonly from: number; readonly to: number }[] {
  let pool = POOLS.get(zone);
  if (!pool) {
    pool = zone.pool.flatMap((r) => {
      const from = ipv4ToInt(r.from);
      const to = ipv4ToInt(r.to);
      return from === undefined || to === undefined ? [] : [{ from, to }];
    });
    POOLS.set(zone, pool);
  }
  return pool;
}

/** True when `address` may be given to a server in `zone`: inside a pool range and not the gateway. */
export function allocatable(address: string, zone: NetworkZone): boolean {
  if (address === zone.gateway) return false;
  const ip = ipv4ToInt(address);
  return ip !== undefined && poolOf(zone).some((r) => ip >= r.from && ip <= r.to);
}

/** The lowest allocatable address of `zone` not in `used`, or undefined when the pool is full. */
export function nextFreeAddress(zone: NetworkZone, used: { has(ip: string): boolean }): string | undefined {
  for (const range of zone.pool) {
    const from = ipv4ToInt(range.from);
    const to = ipv4ToInt(range.to);
    if (from === undefined || to === undefined) continue;
    for (let ip = from; ip <= to; ip++) {
      const text = intToIpv4(ip);
      if (text !== zone.gateway && !used.has(text)) return text;
    }
  }
  return undefined;
}

/**
 * Whether a platform's address (`host`, `host:port` or a URL, as the providers take it) names this
 * machine: `localhost` or a loopback address. Anything it cannot read is not.
 */
export function isLoopbackAddress(address: string): boolean {
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `https://${address}`).hostname;
  } catch {
    return false;
  }
  host = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (host === "localhost") return true;
  if (!ipaddr.isValid(host)) return false;
  const parsed = ipaddr.process(host);
  return parsed.range() === "loopback";
}
