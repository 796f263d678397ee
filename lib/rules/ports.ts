import { msg } from "../messages";
import { at, type FilingRule, type Finding } from "./types";

export function parsePort(spec: string): { port: number; protocol: "tcp" | "udp" } | undefined {
  const m = /^(\d{1,5})\/(tcp|udp)$/.exec(spec);
  return m ? { port: Number(m[1]), protocol: m[2] as "tcp" | "udp" } : undefined;
}

export const forbiddenPorts: FilingRule = {
  scope: "filing",
  id: "forbidden-port",
  severity: "error",
  description: "No filed port is out of range or listed in limits.forbiddenPorts (proxy and anonymiser ports).",
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
          `Port ${spec} may not be opened (${rule.reason}). School servers must not run proxy or anonymiser services; remove it.`,
        )));
      }
    });
    return found;
  },
};
