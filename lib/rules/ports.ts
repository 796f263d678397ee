import { msg, withForm } from "../messages";
import { sensitiveExposures, sensitiveWords } from "../net/exposure";
import { parseSubnet } from "../net/ip";
import { parsePort } from "../net/port";
import { at, type FilingRule, type Finding } from "./types";
import { ROLE_NAMES } from "../names";

export const forbiddenPorts: FilingRule = {
  scope: "filing",
  id: "forbidden-port",
  severity: "error",
  check(f, ctx) {
    const found: Finding[] = [];
    f.filing.network.ports.forEach((spec, i) => {
      const parsed = parsePort(spec);
      if (!parsed) return;
      if (parsed.port > 65535) {
        found.push(at(f, ["network", "ports", i], msg(
          `端口 ${spec} 超出范围，端口号应在 1–65535 之间。`,
          `Port ${spec} is out of range; ports are 1-65535.`,
        )));
        return;
      }
      const rule = ctx.config.limits.forbiddenPorts.find(
        (p) => p.port === parsed.port && (p.protocol === "any" || p.protocol === parsed.protocol),
      );
      if (rule) {
        found.push(at(f, ["network", "ports", i], msg(
          `端口 ${spec} 禁止开放（${rule.reason}）。学校服务器不得提供代理或匿名网络服务，请删除该端口。`,
          `Port ${spec} may not be opened (${rule.reasonEn ?? rule.reason}). School servers must not run proxy or anonymiser services; remove it.`,
        )));
      }
    });
    return found;
  },
};

/** A source an exposure may name: a valid address range narrower than the whole Internet. */
function acceptableSource(source: string): boolean {
  const subnet = parseSubnet(source);
  return subnet !== undefined && subnet.prefixLength > 0;
}

export const sensitivePorts: FilingRule = {
  scope: "filing",
  id: "sensitive-port",
  severity: "error",
  check(f, ctx) {
    const found: Finding[] = [];
    const { network } = f.filing;
    (network.exposures ?? []).forEach((e, j) => {
      if (!network.ports.some((p) => p === e.port)) {
        found.push(at(f, ["network", "exposures", j, "port"], withForm(msg(
          `network.exposures 中的端口 ${e.port} 不在 network.ports 中。请把它加入 ports，或删除这一项说明。`,
          `network.exposures names ${e.port}, which is not in network.ports. Add it to ports or remove the entry.`,
        ), msg(
          `这一行说明的端口 ${e.port} 不在上面的“开放端口”中。请把它加入开放端口，或清空这一行。`,
          `This row's port ${e.port} is not among the ports to open above. Add it there, or clear the row.`,
        ))));
      }
      e.sources.forEach((source, k) => {
        const subnet = parseSubnet(source);
        if (!subnet) {
          found.push(at(f, ["network", "exposures", j, "sources", k], msg(
            `来源地址 ${source} 不是有效的地址段。请写作 地址/前缀长度，例如 10.8.0.0/16。`,
            `Source ${source} is not a valid address range; write address/prefix, e.g. 10.8.0.0/16.`,
          )));
        } else if (subnet.prefixLength === 0) {
          found.push(at(f, ["network", "exposures", j, "sources", k], msg(
            `来源地址 ${source} 等于整个互联网，敏感端口 ${e.port} 不能对所有地址开放。请改为需要访问的地址段，例如学校 VPN 的地址段。`,
            `Source ${source} is the whole Internet; the sensitive port ${e.port} may not be open to everyone. Name the ranges that need it, e.g. the school's VPN range.`,
          )));
        }
      });
    });
    for (const x of sensitiveExposures(f.filing, ctx.config)) {
      const { name, reason } = sensitiveWords(x.entry);
      const what = `${x.port}（${name.zh}）`;
      if (!x.reason || !x.sources?.length) {
        const sensitive = msg(`端口 ${what}是敏感端口：${reason.zh}。对互联网开放须`, `Port ${x.port} (${name.en}) is sensitive: ${reason.en}. Open to the Internet it needs a reason and allowed sources`);
        found.push(at(f, ["network", "ports", x.index], withForm(msg(
          `${sensitive.zh}在 network.exposures 中写明理由并限定来源地址：在 network: 下面、与 ports 对齐加一行，例如 exposures: [{ port: ${x.port}, reason: 运维人员经学校 VPN 远程管理, sources: ["10.8.0.0/16"] }]；否则请删除该端口。`,
          `${sensitive.en} in network.exposures: a line under network:, aligned with ports, e.g. exposures: [{ port: ${x.port}, reason: "…", sources: ["10.8.0.0/16"] }]; otherwise remove the port.`,
        ), msg(
          `${sensitive.zh}写明理由并限定来源地址：请在下方“敏感端口说明”中填一行（端口 ${x.port}、理由、允许访问的来源地址段，例如学校 VPN 10.8.0.0/16）；否则请删除该端口。`,
          `${sensitive.en}: fill in a row under "sensitive ports" below (port ${x.port}, the reason, the source ranges allowed, e.g. the school VPN 10.8.0.0/16); otherwise remove the port.`,
        ))));
      } else if (x.sources.every(acceptableSource)) {
        // A source refused above makes the exposure an error; a note to approvers would contradict it.
        found.push(at(f, ["network", "ports", x.index], msg(
          `请审批人注意：敏感端口 ${what}对互联网开放，仅限 ${x.sources.join("、")} 访问。理由：${x.reason}。此类开放须${ROLE_NAMES.securityLeader.zh}批准。`,
          `Approvers, note: the sensitive port ${x.port} (${name.en}) is open to the Internet, from ${x.sources.join(", ")} only. Reason: ${x.reason}. Such exposure needs the security leader's approval.`,
        ), { severity: "warning" }));
      }
    }
    return found;
  },
};
