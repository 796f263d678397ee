import type { Zone } from "../filings/model";
import { msg, type Message } from "../messages";
import { VSPHERE_OBJECT_NAMES } from "../names";
import type { PathSegment, Position } from "../yaml/strict";
import { PROJECT } from "./config";

/**
 * What the vSphere program finds by name in vCenter before it registers anything, each named by a
 * key of the stack file (custom attributes: by the program, where `server-filings:customAttributes:
 * lookup` says so).
 */
export type VsphereObject = keyof typeof VSPHERE_OBJECT_NAMES;

export interface VsphereLookup {
  readonly object: VsphereObject;
  readonly name: string;
  /** The stack-file key that names it, as checkStackConfig's locate takes it. */
  readonly path: readonly PathSegment[];
}

const key = (name: string): string => `${PROJECT}:${name}`;

/** The site's objects, keyed as the stack file's `server-filings:site` names them. */
export function siteLookup(object: "datacenter" | "cluster" | "datastore" | "template", name: string): VsphereLookup {
  return { object, name, path: [key("site"), object] };
}

/** A zone's port group (`networks`) or its quarantine port group (`quarantine`). */
export function portGroupLookup(section: "networks" | "quarantine", zone: Zone, name: string): VsphereLookup {
  return { object: "portGroup", name, path: [key(section), zone, "portGroup"] };
}

/** A VM custom attribute another stack on the same vCenter defines (`customAttributes: lookup`). */
export function attributeLookup(name: string): VsphereLookup {
  return { object: "customAttribute", name, path: [key("customAttributes")] };
}

/**
 * Whether the provider's error says that a name is not in vCenter ("Network x not found", "cluster
 * 'x' not found", govmomi's "key name not found" for a custom attribute), as against vCenter
 * refusing the sign-in or not answering, which `filing` reports on their own (scripts/cli/engine.ts).
 */
export function isNotFound(providerError: string): boolean {
  return /\bnot found\b/i.test(providerError) && !/SOAP client|dial tcp|Post "/.test(providerError);
}

/** What vCenter lacks under one stack-file key: one name, or every attribute a `lookup` stack needs. */
export interface MissingInVcenter {
  readonly object: VsphereObject;
  readonly path: readonly PathSegment[];
  readonly names: readonly string[];
}

/**
 * The lookups that vCenter said it lacks, one per stack-file key with all its names, in the order
 * the keys appear in the file. Pure.
 */
export function missingByKey(missing: readonly { lookup: VsphereLookup; at: Position }[]): { at: Position; missing: MissingInVcenter }[] {
  const byKey = new Map<string, { at: Position; missing: MissingInVcenter }>();
  for (const { lookup, at } of missing) {
    const k = lookup.path.join(".");
    const seen = byKey.get(k);
    byKey.set(k, { at, missing: { object: lookup.object, path: lookup.path, names: [...(seen?.missing.names ?? []), lookup.name] } });
  }
  return [...byKey.values()].sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column);
}

/**
 * The one line for what a stack-file key names that vCenter does not have: which stack, which
 * object, where the stack file names it, and how to fix it. The program looks everything up before
 * it registers anything, so nothing was created or changed. Pure.
 */
export function missingInVcenter(stack: string, file: string, at: Position, missing: MissingInVcenter): Message {
  const what = VSPHERE_OBJECT_NAMES[missing.object];
  const where = `${file}:${at.line}:${at.column} ${missing.path.join(".")}`;
  const names = missing.names.map((n) => JSON.stringify(n));
  if (missing.object === "customAttribute") {
    return msg(
      `堆栈 ${stack}：vCenter 中没有${what.zh} ${names.join("、")}（${where} 为 lookup，按名称查找）。请先部署同一 vCenter 上管理这些属性的堆栈（customAttributes 为 manage 或不写）一次，再运行本堆栈。未创建或修改任何资源。`,
      `Stack ${stack}: vCenter has no ${what.en} ${names.join(", ")} (${where} is lookup, which finds them by name). Deploy the stack that manages these attributes on the same vCenter (customAttributes manage, or not set) once first, then run this stack. Nothing was created or changed.`,
    );
  }
  const create = missing.object === "template" ? msg("把该虚拟机或模板放入 vCenter", "Put that VM or template in vCenter") : msg(`在 vCenter 中创建该${what.zh}`, `Create the ${what.en} in vCenter`);
  // vCenter hides what the account may not read: "not found" may also mean no permission.
  return msg(
    `堆栈 ${stack}：vCenter 中没有${what.zh} ${names.join("、")}（${where}）。请${create.zh}，或在 ${file} 中改正名称；若它已存在，请给部署账号（VSPHERE_USER）授予它的权限。未创建或修改任何资源。`,
    `Stack ${stack}: vCenter has no ${what.en} ${names.join(", ")} (${where}). ${create.en}, or correct the name in ${file}; if it exists, give the deploying account (VSPHERE_USER) access to it. Nothing was created or changed.`,
  );
}
