import { describe, expect, it } from "vitest";
import { allocatable, isLoopbackAddress, nextFreeAddress } from "../../lib/net/ip";
import type { NetworkZone } from "../../lib/config/model";

const zone: NetworkZone = {
  name: "test",
  subnet: "10.0.0.0/24",
  pool: [{ from: "10.0.0.1", to: "10.0.0.3" }, { from: "10.0.0.10", to: "10.0.0.10" }],
  gateway: "10.0.0.1",
  dns: ["10.0.0.53"],
};

describe("address pools", () => {
  it.each([
    ["10.0.0.2", true],
    ["10.0.0.1", false],
    ["10.0.0.4", false],
    ["10.0.0.10", true],
    ["010.0.0.2", false],
    ["10.0.0", false],
  ])("%s allocatable: %s", (ip, expected) => {
    expect(allocatable(ip, zone)).toBe(expected);
  });

  it("hands out the lowest free address, skipping the gateway, then the next range, then none", () => {
    expect(nextFreeAddress(zone, new Set())).toBe("10.0.0.2");
    expect(nextFreeAddress(zone, new Set(["10.0.0.2"]))).toBe("10.0.0.3");
    expect(nextFreeAddress(zone, new Set(["10.0.0.2", "10.0.0.3"]))).toBe("10.0.0.10");
    expect(nextFreeAddress(zone, new Set(["10.0.0.2", "10.0.0.3", "10.0.0.10"]))).toBeUndefined();
  });
});

describe("a platform's address on this machine", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.0.0.1:8989", true],
    ["127.8.9.10", true],
    ["localhost", true],
    ["LOCALHOST:443", true],
    ["https://localhost:8006/", true],
    ["https://[::1]:8006/api2/json", true],
    ["[::1]", true],
    ["vcenter.example.edu.cn", false],
    ["10.20.0.5", false],
    ["https://pve.example.edu.cn:8006/", false],
    ["localhost.example.edu.cn", false],
    ["127.0.0.1.example.edu.cn", false],
    ["https://user@10.0.0.1/", false],
    ["", false],
    ["not a host", false],
  ])("%s → %s", (address, loopback) => {
    expect(isLoopbackAddress(address)).toBe(loopback);
  });
});
