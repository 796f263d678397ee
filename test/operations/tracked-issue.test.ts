/**
 * trackIssue, the decision behind every issue a scheduled job keeps for one matter (the deploy
 * blocked, a stack's drift): each case starts from the matter standing with no issue open.
 */
import { describe, expect, it } from "vitest";
import { trackIssue } from "../../lib/operations/tracked-issue";

const MARKER = "<!-- job -->";
const wanted = { title: "blocked", body: `${MARKER}\nwhy` };
const ours = { number: 7, body: `${MARKER}\nold` };
const theirs = { number: 8, body: "a person's issue with the same label" };

describe("trackIssue", () => {
  it.each([
    ["the matter stands, no issue open: one is opened", [], wanted, [{ kind: "create", ...wanted }]],
    ["the matter stands, a person's issue open: one is opened beside it", [theirs], wanted, [{ kind: "create", ...wanted }]],
    ["the matter stands with its issue open: that issue is brought up to date", [theirs, ours], wanted, [{ kind: "update", number: 7, ...wanted }]],
    ["two of its issues open (opened by hand, or twice): the first is brought up to date", [ours, { ...ours, number: 9 }], wanted, [{ kind: "update", number: 7, ...wanted }]],
    ["the matter is over: each of its issues is closed with the word, a person's is left open", [ours, theirs, { ...ours, number: 9 }], undefined, [{ kind: "close", number: 7, comment: "over" }, { kind: "close", number: 9, comment: "over" }]],
    ["the matter is over and nothing is open: nothing to do", [theirs], undefined, []],
  ] as const)("%s", (_what, open, want, actions) => {
    expect(trackIssue(open, MARKER, want, "over")).toEqual(actions);
  });
});
