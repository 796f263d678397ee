import type { Zone } from "../filings/model";
import type { Ownership } from "./owns";
import { msg, type Message } from "../messages";
import { FILE_START, problem, type Problem } from "../problems";
import { schemaChecker, type SchemaNode } from "../schema/check";
import type { LocatedValue, PathSegment, Position } from "../yaml/strict";
import { VSPHERE_OBJECT_NAMES, ZONE_NAMES } from "../names";
import { isLoopbackAddress } from "../net/ip";

/** The Pulumi project name (Pulumi.yaml `name`): stack config keys of this program are `server-filings:<key>`. */
export const PROJECT = "server-filings";

/** Platforms the program can provision on; stacks/platforms maps each to its adapter. */
export const PLATFORMS = ["vsphere", "proxmox"] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface VsphereSite {
  datacenter: string;
  cluster: string;
  datastore: string;
  folder: string;
  /** Name of the VM or template new VMs are cloned from. */
  template: string;
  /** DNS domain given to guests by guest customization. */
  domain: string;
}

export interface ProxmoxSite {
  node: string;
  datastore: string;
  /** VM id of the template new VMs are cloned from. */
  templateVmId: number;
}

export interface VsphereNetwork {
  portGroup: string;
}

export interface ProxmoxNetwork {
  bridge: string;
  vlanId?: number;
}

export type StackConfig = (
  | {
      platform: "vsphere";
      site: VsphereSite;
      networks: Record<Zone, VsphereNetwork>;
      /**
       * Where an expired filing's VM is moved past its grace period, one port group per zone: the
       * provider cannot power a VM off, but it can take it off the network ("temporarily close
       * network service"). Per zone, because a quarantined VM still runs: an external server and an
       * internal one must not share a network even there (stack-zone-networks-separate).
       */
      quarantine: Record<Zone, VsphereNetwork>;
      /**
       * Who defines the VM custom attributes (filing id, department, …), which vCenter holds once
       * for all: `manage` (the default) creates them in this stack; `lookup` finds them by name,
       * for every further stack on the same vCenter.
       */
      customAttributes?: "manage" | "lookup";
    }
  | { platform: "proxmox"; site: ProxmoxSite; networks: Record<Zone, ProxmoxNetwork> }
) & {
  /** The filings this stack provisions; absent: every filing (lib/stack-files/owns.ts). */
  owns?: Ownership;
};

const key = (name: string): string => `${PROJECT}:${name}`;

const name = (title: string, example: string): SchemaNode => ({
  type: "string",
  minLength: 1,
  title,
  examples: [example],
});

const list = (title: string, items: SchemaNode): SchemaNode => ({ type: "array", minItems: 1, uniqueItems: true, title, items });

/** server-filings:owns, the same on every platform (lib/stack-files/owns.ts). */
const OWNS_SCHEMA: SchemaNode = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  title: "本堆栈认领的备案",
  description: "按校区、部门、网络区域认领备案：每个给出的条件都要满足。不写则认领全部备案（学校只有一个堆栈时）。",
  properties: {
    campuses: list("校区", { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$", title: "校区代码", examples: ["main"] }),
    departments: list("部门", { type: "string", minLength: 1, title: "部门代码", examples: ["jwc"] }),
    zones: list("网络区域", { type: "string", enum: ["internal", "external"], title: "网络区域" }),
  },
};

function platformSchema(
  site: SchemaNode & { properties: Record<string, SchemaNode> },
  network: SchemaNode & { properties: Record<string, SchemaNode> },
  extra: Record<string, SchemaNode> = {},
  optional: Record<string, SchemaNode> = {},
): SchemaNode {
  const zones = (["internal", "external"] as const).map((z) => [z, { ...network, title: `${ZONE_NAMES[z].zh}对应的网络` }]);
  return {
    type: "object",
    additionalProperties: false,
    required: [key("platform"), key("site"), key("networks"), ...Object.keys(extra).map(key)],
    properties: {
      ...Object.fromEntries(Object.entries({ ...extra, ...optional }).map(([k, v]) => [key(k), v])),
      [key("owns")]: OWNS_SCHEMA,
      [key("platform")]: { type: "string", title: "虚拟化平台" },
      [key("site")]: { ...site, type: "object", additionalProperties: false, required: Object.keys(site.properties), title: "站点" },
      [key("networks")]: {
        type: "object",
        additionalProperties: false,
        required: ["internal", "external"],
        title: "网络区域映射",
        properties: Object.fromEntries(zones),
      },
    },
  };
}

const VSPHERE_SCHEMA = platformSchema(
  {
    properties: {
      datacenter: name(VSPHERE_OBJECT_NAMES.datacenter.zh, "campus-dc"),
      cluster: name(VSPHERE_OBJECT_NAMES.cluster.zh, "cluster-01"),
      datastore: name(VSPHERE_OBJECT_NAMES.datastore.zh, "datastore-01"),
      folder: name("虚拟机文件夹", "filings"),
      template: name(VSPHERE_OBJECT_NAMES.template.zh, "ubuntu-24.04-template"),
      domain: name("客户机域名", "example.edu.cn"),
    },
  },
  {
    type: "object",
    additionalProperties: false,
    required: ["portGroup"],
    properties: { portGroup: name(VSPHERE_OBJECT_NAMES.portGroup.zh, "VM Network") },
  },
  {
    quarantine: {
      type: "object",
      additionalProperties: false,
      required: ["internal", "external"],
      title: "隔离端口组",
      description: `备案过期且超过宽限期的虚拟机，网卡移到本区域的隔离端口组：不通${ZONE_NAMES.external.zh}、不通${ZONE_NAMES.internal.zh}（暂停网络服务）。两个区域各用一个，互不相通。`,
      properties: Object.fromEntries(
        (["internal", "external"] as const).map((z) => [
          z,
          { type: "object", additionalProperties: false, required: ["portGroup"], title: `${ZONE_NAMES[z].zh}虚拟机的隔离端口组`, properties: { portGroup: name(VSPHERE_OBJECT_NAMES.portGroup.zh, `filings-quarantine-${z}`) } },
        ]),
      ),
    },
  },
  {
    customAttributes: {
      type: "string",
      enum: ["manage", "lookup"],
      title: "虚拟机自定义属性的定义",
      description: "同一 vCenter 上只能有一个堆栈创建这些定义（manage，默认）；同一 vCenter 上的其他堆栈写 lookup，按名称查找。",
    },
  },
);

const PROXMOX_SCHEMA = platformSchema(
  {
    properties: {
      node: name("节点", "pve-01"),
      datastore: name("存储", "local-lvm"),
      templateVmId: { type: "integer", minimum: 100, maximum: 999999999, title: "模板虚拟机编号", examples: [9000] },
    },
  },
  {
    type: "object",
    additionalProperties: false,
    required: ["bridge"],
    properties: {
      bridge: name("网桥", "vmbr0"),
      vlanId: { type: "integer", minimum: 1, maximum: 4094, title: "VLAN 编号", examples: [120] },
    },
  },
);

const CHECKERS = {
  vsphere: schemaChecker<unknown>(VSPHERE_SCHEMA),
  proxmox: schemaChecker<unknown>(PROXMOX_SCHEMA),
};

/** Keys whose values must never sit in a stack file in plain text, with the environment variable each provider reads instead. */
export const CREDENTIALS: Readonly<Record<string, string>> = {
  "vsphere:password": "VSPHERE_PASSWORD",
  "proxmoxve:password": "PROXMOX_VE_PASSWORD",
  "proxmoxve:apiToken": "PROXMOX_VE_API_TOKEN",
};

/**
 * What the vSphere provider cannot connect without, each a key of the stack file or an environment
 * variable the provider reads instead. Without one the provider's own error advises `pulumi config
 * set`, deep in the engine's output; in a workflow the usual cause is a secret missing from the
 * production environment, which GitHub passes on as an empty string. Proxmox is left to its
 * provider: it signs in several ways (token, user and password, ticket).
 */
const VSPHERE_CONNECTION: readonly { readonly key: string; readonly env: readonly string[]; readonly what: Message }[] = [
  // The provider also reads VSPHERE_VCENTER, an older name for the server.
  { key: "vsphere:vsphereServer", env: ["VSPHERE_SERVER", "VSPHERE_VCENTER"], what: msg("vCenter 地址", "the vCenter address") },
  { key: "vsphere:user", env: ["VSPHERE_USER"], what: msg("用户名", "the user name") },
  { key: "vsphere:password", env: [CREDENTIALS["vsphere:password"]!], what: msg("密码", "the password") },
];

/**
 * The connection settings a stack's platform lacks, said in one message, or undefined when none is
 * missing (or the platform is not checked here). An empty value counts as missing. Pure.
 */
export function missingConnection(file: string, platform: Platform, values: Readonly<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): Message | undefined {
  if (platform !== "vsphere") return undefined;
  const missing = VSPHERE_CONNECTION.filter((s) => (values[s.key] === undefined || values[s.key] === "") && !s.env.some((name) => env[name]));
  if (missing.length === 0) return undefined;
  const zh = missing.map((s) => `${s.env[0]}（${s.what.zh}）`).join("、");
  const en = missing.map((s) => `${s.env[0]} (${s.what.en})`).join(", ");
  return msg(
    `连接 vCenter 还缺少：${zh}。请在环境中设置（工作流中为 production 环境的同名 secret），或写入 ${file}：pulumi config set ${missing[0]!.key} <值>（密码加 --secret）。`,
    `Connecting to vCenter still needs ${en}. Set ${missing.length > 1 ? "them" : "it"} in the environment (in the workflows, the production environment's secret of that name), or in ${file} with pulumi config set ${missing[0]!.key} <value> (--secret for the password).`,
  );
}

/**
 * Why the engine may not run for lack of a passphrase, or undefined. Pulumi encrypts a stack's
 * secrets (secret config, secret outputs) in the state with PULUMI_CONFIG_PASSPHRASE, and takes an
 * empty one as a choice: the secrets are then readable by anyone who reads the state store. A
 * workflow whose `production` environment lacks the secret passes exactly that, an empty string.
 * A stack file naming another secrets provider (a KMS, a vault) needs no passphrase. Pure.
 */
export function missingPassphrase(input: Pick<StackConfigInput, "file" | "secretsProvider">, env: Readonly<Record<string, string | undefined>>): Message | undefined {
  if (input.secretsProvider !== undefined && !/^passphrase(:|$)/.test(input.secretsProvider)) return undefined;
  const phrase = env.PULUMI_CONFIG_PASSPHRASE;
  if (phrase) return undefined;
  // Set but empty, it would win over the file: Pulumi reads the variable first.
  if (phrase === undefined && env.PULUMI_CONFIG_PASSPHRASE_FILE) return undefined;
  return msg(
    `PULUMI_CONFIG_PASSPHRASE 为空或未设置：${input.file} 的机密（如平台密码）在状态存储中用它加密，为空就等于不加密。请设置它（工作流中为 production 环境的 secret；本机也可不设它，改用 PULUMI_CONFIG_PASSPHRASE_FILE 指向存放口令的文件），并在各次运行中保持不变。`,
    `PULUMI_CONFIG_PASSPHRASE is empty or not set: ${input.file}'s secrets (a platform password, say) are encrypted with it in the state store, and an empty one encrypts nothing. Set it (in the workflows, the production environment's secret; on a workstation, instead of it, PULUMI_CONFIG_PASSPHRASE_FILE may name a file holding it), and keep it the same across runs.`,
  );
}

/**
 * Provider settings that turn off the check of the platform's TLS certificate, with the setting that
 * names the platform's address. Off, anyone on the path can pose as vCenter or Proxmox and receive
 * the credentials; the one place it is allowed is a platform on this machine (the simulated vCenter).
 */
export const UNVERIFIED_TLS: Readonly<Record<Platform, { readonly setting: string; readonly address: string }>> = {
  vsphere: { setting: "vsphere:allowUnverifiedSsl", address: "vsphere:vsphereServer" },
  proxmox: { setting: "proxmoxve:insecure", address: "proxmoxve:endpoint" },
};

export interface StackConfigInput {
  /** The stack file the values belong to, e.g. `stacks/Pulumi.campus-vsphere.yaml`; named in every problem. */
  readonly file: string;
  /** The stack's config: namespaced keys (`server-filings:platform`, `vsphere:user`, …) to values. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Keys whose values are Pulumi secrets (`secure:` in the file). */
  readonly secretKeys?: ReadonlySet<string>;
  /** The file's `secretsprovider:` (absent: Pulumi's passphrase provider). */
  readonly secretsProvider?: string;
  /** Where a path of `values` sits in the file; line 1 when unknown (values given on the command line). */
  readonly locate?: (path: readonly PathSegment[], at?: "key" | "value") => Position;
}


/**
 * Checks a stack's config for this program: the platform is one we support, the site and the zone →
 * network mapping are complete for that platform, credentials are secrets, not plain text, and the
 * platform's certificate is checked unless the platform is on this machine. Pure.
 */
export function checkStackConfig(input: StackConfigInput): { config?: StackConfig; problems: Problem[] } {
  const { file, values } = input;
  const locate = input.locate ?? (() => FILE_START);
  const problems: Problem[] = [];
  const report = (path: PathSegment[], rule: string, message: Message, at: "key" | "value" = "value"): void => {
    problems.push(problem(file, locate(path, at), rule, message));
  };

  for (const [cred, env] of Object.entries(CREDENTIALS)) {
    if (values[cred] !== undefined && !input.secretKeys?.has(cred)) {
      report([cred], "stack-plain-credential", msg(
        `${file} 中的 ${cred} 是明文。凭据只能保存为密文：运行 pulumi config set --secret ${cred} <值>，或改用环境变量（${env}）。`,
        `${cred} in ${file} is in plain text. Store credentials only as secrets (pulumi config set --secret ${cred} <value>) or in the environment (${env}).`,
      ), "key");
    }
  }

  const platform = values[key("platform")];
  if (typeof platform !== "string" || !(PLATFORMS as readonly string[]).includes(platform)) {
    const found = platform === undefined ? "未设置" : JSON.stringify(platform);
    report(platform === undefined ? [] : [key("platform")], "stack-platform", msg(
      `${file}：${key("platform")} 为 ${found}，可选的平台为：${PLATFORMS.join("、")}。`,
      `${file}: ${key("platform")} is ${platform === undefined ? "not set" : JSON.stringify(platform)}; valid platforms: ${PLATFORMS.join(", ")}.`,
    ));
    return { problems };
  }

  const tls = UNVERIFIED_TLS[platform as Platform];
  const address = values[tls.address];
  if (String(values[tls.setting]).toLowerCase() === "true" && !(typeof address === "string" && isLoopbackAddress(address))) {
    report([tls.setting], "stack-unverified-tls", msg(
      `${file}：${tls.setting} 关闭了平台证书校验，只允许用于本机上的平台（${tls.address} 为 localhost 或 127.0.0.1，如模拟 vCenter）。请把平台的 CA 证书装入运行部署的机器的系统信任库，再把 ${tls.setting} 设为 "false"。`,
      `${file}: ${tls.setting} turns off the check of the platform's certificate, which is allowed only for a platform on this machine (${tls.address} localhost or 127.0.0.1, like the simulated vCenter). Install the platform's CA certificate in the system trust store of the machine that deploys, then set ${tls.setting} to "false".`,
    ), "key");
  }

  const own = Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith(`${PROJECT}:`)));
  const located: LocatedValue = { value: own, locate };
  const checked = CHECKERS[platform as Platform].check(located, file);
  problems.push(...checked.problems.map((p) => ({ ...p, rule: p.rule.replace(/^schema-/, "stack-") })));
  if (problems.length > 0) return { problems };
  if (platform === "vsphere") {
    // Each zone, and each zone's quarantine, on a port group of its own: a shared one mixes the zones
    // (stack-zone-networks-separate would then block every deploy) or makes quarantine a no-op.
    const groups: [PathSegment[], string][] = [
      [[key("networks"), "internal", "portGroup"], "networks.internal"],
      [[key("networks"), "external", "portGroup"], "networks.external"],
      [[key("quarantine"), "internal", "portGroup"], "quarantine.internal"],
      [[key("quarantine"), "external", "portGroup"], "quarantine.external"],
    ];
    const seen = new Map<string, string>();
    for (const [path, label] of groups) {
      const name = (own[path[0] as string] as Record<string, { portGroup: string }>)[path[1] as string]!.portGroup;
      const first = seen.get(name);
      if (first === undefined) {
        seen.set(name, label);
        continue;
      }
      report(path, "stack-port-groups", msg(
        `${file}：${key(label)} 与 ${key(first)} 是同一个端口组 ${name}。两个区域和两个隔离端口组必须各用一个端口组：共用会把${ZONE_NAMES.internal.zh}和${ZONE_NAMES.external.zh}的虚拟机接到同一网络，或使隔离失效。`,
        `${file}: ${key(label)} is the same port group as ${key(first)} (${name}). The two zones and the two quarantine port groups each need a port group of their own: sharing one puts internal and external VMs on one network, or makes quarantine do nothing.`,
      ));
    }
    if (problems.length > 0) return { problems };
  }
  return {
    config: {
      platform,
      site: own[key("site")],
      networks: own[key("networks")],
      ...(platform === "vsphere" ? { quarantine: own[key("quarantine")] } : {}),
      ...(platform === "vsphere" && own[key("customAttributes")] !== undefined ? { customAttributes: own[key("customAttributes")] } : {}),
      ...(own[key("owns")] === undefined ? {} : { owns: own[key("owns")] }),
    } as StackConfig,
    problems,
  };
}
