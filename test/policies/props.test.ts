import { unknownCheckingProxy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { UNKNOWN } from "../../lib/compliance/observed";
import { plainProps, plainPropsViaProxy } from "../../policies/props";

// The engine's markers for values unknown at preview; internal to @pulumi/policy, so untyped.
const marker = require("@pulumi/policy/proxy") as Record<string, string>;

const inputs = {
  name: "vm",
  cpu: { cores: marker.unknownNumberValue, sockets: 1 },
  tags: ["filing.x", marker.unknownStringValue],
  disks: marker.unknownArrayValue,
  initialization: { ipConfigs: [{ ipv4: { address: "10.0.0.1/24", gateway: marker.unknownStringValue } }] },
  started: marker.unknownBooleanValue,
  clone: marker.unknownObjectValue,
};

describe("props as the checks see them", () => {
  it("turn every unknown, at any depth, into UNKNOWN and keep the rest", () => {
    const plain = plainProps(unknownCheckingProxy(inputs));
    expect(plain).toEqual({
      name: "vm",
      cpu: { cores: UNKNOWN, sockets: 1 },
      tags: ["filing.x", UNKNOWN],
      disks: UNKNOWN,
      initialization: { ipConfigs: [{ ipv4: { address: "10.0.0.1/24", gateway: UNKNOWN } }] },
      started: UNKNOWN,
      clone: UNKNOWN,
    });
  });

  it("read the same through the fast path and through the engine's proxy", () => {
    const proxied = unknownCheckingProxy(inputs);
    expect(plainProps(proxied)).toEqual(plainPropsViaProxy(proxied));
    expect(plainProps(proxied, ["cpu", "tags", "absent"])).toEqual(plainPropsViaProxy(proxied, ["cpu", "tags", "absent"]));
    expect(Object.keys(plainProps(proxied, ["cpu", "absent"]))).toEqual(["cpu"]);
  });
});
