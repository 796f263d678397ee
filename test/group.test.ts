import { describe, expect, it } from "vitest";
import { groupBy } from "../lib/group";

describe("groupBy", () => {
  it("keeps the order keys are first seen and the order of items within a group", () => {
    const groups = groupBy(["b1", "a1", "b2", "c1", "a2"], (s) => s[0]);
    expect([...groups]).toEqual([
      ["b", ["b1", "b2"]],
      ["a", ["a1", "a2"]],
      ["c", ["c1"]],
    ]);
  });

  it("leaves out items whose key is undefined, but keeps other falsy keys", () => {
    const groups = groupBy([{ id: 0 }, { id: undefined }, { id: 0 }, { id: 7 }], (x) => x.id);
    expect([...groups.keys()]).toEqual([0, 7]);
    expect(groups.get(0)).toHaveLength(2);
  });
});
