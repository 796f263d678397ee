import * as YAML from "yaml";
import type { InstitutionConfig } from "../config/model";
import { nextFreeAddress } from "../net/ip";
import { msg, type Message } from "../messages";
import { FILING_KEYS, type Exposure, type Filing, type Scope, type ServerType, type Zone } from "./model";

/** What `filing new` collects, from prompts or flags, before it becomes a filing. */
export interface NewFilingAnswers {
  department: string;
  name: string;
  type: ServerType;
  purpose: string;
  scope: Scope;
  administrator: { name: string; title: string; phone: string; email: string; account?: string };
  start: string;
  months: number;
  cpu: number;
  memoryGiB: number;
  disksGiB: number[];
  zone: Zone;
  /** An address, or "auto" for the lowest free one in the zone's pool. */
  ip: string;
  ports: string[];
  /** Reasons and sources for the sensitive ports among `ports`. */
  exposures?: Exposure[];
  logRetentionDays: number;
  /** The applicant's promises under the management rules, asked, never assumed. */
  backup: { daily: boolean; secondCopy: boolean };
  responsibilityLetter: string;
  remarks?: string;
  maintenance?: { vendor: string; underWarranty: boolean; technician: { name: string; phone: string } };
  onlineSince?: string;
}

export const SCHEMA_COMMENT = "# yaml-language-server: $schema=../filing.schema.json";

export function filingPath(department: string, name: string): string {
  return `filings/${department}/${name}.yaml`;
}

/** Builds the filing; allocates the IP when asked. Returns a message instead when the pool is full. */
export function buildFiling(
  answers: NewFilingAnswers,
  config: InstitutionConfig,
  usedIps: ReadonlySet<string>,
): { filing: Filing; path: string } | { error: Message } {
  let ip = answers.ip;
  if (ip === "auto") {
    const zone = config.networks.zones[answers.zone];
    const free = nextFreeAddress(zone, usedIps);
    if (!free) {
      return {
        error: msg(
          `${zone.name}（${answers.zone}）的地址池已分配完，请联系信息中心扩充地址池。`,
          `The ${answers.zone} zone's pool is exhausted; ask the information center to extend it.`,
        ),
      };
    }
    ip = free;
  }
  const draft: Filing = {
    id: `${answers.department}-${answers.name}`,
    department: answers.department,
    type: answers.type,
    purpose: answers.purpose,
    scope: answers.scope,
    administrator: { ...answers.administrator },
    period: { start: answers.start, months: answers.months },
    resources: { cpu: answers.cpu, memoryGiB: answers.memoryGiB, disks: answers.disksGiB.map((sizeGiB) => ({ sizeGiB })) },
    network: { zone: answers.zone, ip, ports: [...answers.ports], ...(answers.exposures?.length ? { exposures: answers.exposures.map((e) => ({ ...e, sources: [...e.sources] })) } : {}) },
    operations: { backup: { ...answers.backup }, logRetentionDays: answers.logRetentionDays },
    commitments: { responsibilityLetter: answers.responsibilityLetter },
    status: "active",
    remarks: answers.remarks ?? "",
  };
  if (answers.type === "physical") {
    if (answers.maintenance) draft.maintenance = answers.maintenance;
    if (answers.onlineSince) draft.onlineSince = answers.onlineSince;
  }
  // Fixed key order, the one the guide documents, whatever order the answers came in.
  const filing = Object.fromEntries(
    FILING_KEYS.filter((k) => draft[k] !== undefined).map((k) => [k, draft[k]]),
  ) as unknown as Filing;
  return { filing, path: filingPath(answers.department, answers.name) };
}

/** The file's text: the schema line for editors, then the filing in block style. */
export function renderFiling(filing: Filing): string {
  const doc = new YAML.Document(filing, { version: "1.2" });
  YAML.visit(doc, {
    Seq(_key, node) {
      // Short scalar lists (ports) read best inline; lists of maps (disks) stay in block style.
      if (node.items.every((item) => YAML.isScalar(item))) node.flow = true;
    },
    Map(_key, node, path) {
      const parent = path[path.length - 1];
      if (YAML.isPair(parent) && YAML.isScalar(parent.key) && parent.key.value === "backup") node.flow = true;
    },
  });
  return `${SCHEMA_COMMENT}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: true })}`;
}
