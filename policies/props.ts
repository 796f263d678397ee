import { UnknownValueError } from "@pulumi/policy";
import { UNKNOWN, type Props } from "../lib/compliance/observed";

/**
 * The engine hands policies a proxy that throws on any value unknown during preview, which would skip
 * the whole policy. Copying through it turns each unknown into UNKNOWN, so the checks see exactly
 * which property is unknown and can refuse that one. `keys` limits the copy to the top-level inputs a
 * reader needs.
 */
export function plainProps(props: Record<string, unknown>, keys?: readonly string[]): Props {
  const raw = rawTarget(props);
  const copy = raw ? (v: Record<string, unknown>, k: string) => fromRaw(v[k]) : viaProxy;
  const source = raw ?? props;
  const out: Props = {};
  for (const key of keys ?? Object.keys(source)) if (key in source) out[key] = copy(source, key);
  return out;
}

/*
 * Fast path. Going through the proxy wraps every nested value in a new proxy, and at thousands of VMs
 * that was most of the pack's time (bench/policy-run.ts). @pulumi/policy's proxy module hands out
 * the object behind the proxy, in which unknowns are still the engine's marker values; both are
 * internal to the package, so when either is missing the slow path below is used instead.
 */
const proxy = loadProxyInternals();

function loadProxyInternals(): { target: string; markers: Set<unknown> } | undefined {
  try {
    const p = require("@pulumi/policy/proxy") as Record<string, unknown>;
    const markers = ["unknownBooleanValue", "unknownNumberValue", "unknownStringValue", "unknownArrayValue", "unknownAssetValue", "unknownArchiveValue", "unknownObjectValue"].map((k) => p[k]);
    if (typeof p.getSpecialProxyTarget !== "string" || markers.some((m) => typeof m !== "string")) return undefined;
    return { target: p.getSpecialProxyTarget, markers: new Set(markers) };
  } catch {
    return undefined;
  }
}

function rawTarget(props: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!proxy) return undefined;
  const target = props[proxy.target];
  return typeof target === "object" && target !== null ? (target as Record<string, unknown>) : undefined;
}

/*
 * Only a value holding a marker is copied (with UNKNOWN in the marker's place); anything else is
 * handed to the readers as it is, since they never write to props. At `pulumi up` nothing is
 * unknown, and copying every VM's inputs for each policy was most of the pack's garbage.
 */
function fromRaw(value: unknown): unknown {
  return holdsMarker(value) ? replaceMarkers(value) : value;
}

function holdsMarker(value: unknown): boolean {
  if (proxy!.markers.has(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsMarker);
  for (const key in value) if (holdsMarker((value as Record<string, unknown>)[key])) return true;
  return false;
}

function replaceMarkers(value: unknown): unknown {
  if (proxy!.markers.has(value)) return UNKNOWN;
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(replaceMarkers);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = replaceMarkers((value as Record<string, unknown>)[key]);
  return out;
}

/** Slow path: read every value through the proxy, catching its error for unknowns. */
function viaProxy(container: any, key: string | number): unknown {
  try {
    const value = container[key];
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => viaProxy(value, i));
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = viaProxy(value, k);
    return out;
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}

/** The slow path alone, for the test that keeps both paths in agreement. */
export function plainPropsViaProxy(props: Record<string, unknown>, keys?: readonly string[]): Props {
  const out: Props = {};
  for (const key of keys ?? Object.keys(props)) if (key in props) out[key] = viaProxy(props, key);
  return out;
}
