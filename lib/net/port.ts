/** `443/tcp` → port and protocol, or undefined when it is not written that way. */
export function parsePort(spec: string): { port: number; protocol: "tcp" | "udp" } | undefined {
  const m = /^(\d{1,5})\/(tcp|udp)$/.exec(spec);
  return m ? { port: Number(m[1]), protocol: m[2] as "tcp" | "udp" } : undefined;
}
