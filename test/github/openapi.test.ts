import { describe, expect, it } from "vitest";
import { example, responseProblems } from "./openapi";

const REVIEWS = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews";

describe("the fake's guard: GitHub's OpenAPI description", () => {
  it("accepts GitHub's own example of a review list", () => {
    expect(responseProblems("get", REVIEWS, 200, example("pull-request-review-items"))).toEqual([]);
  });

  it("catches a body that drifted from the real API", () => {
    const [review] = example("pull-request-review-items");
    const { commit_id: _gone, ...withoutCommit } = review;
    expect(responseProblems("get", REVIEWS, 200, [withoutCommit]).join()).toContain("commit_id");
    expect(responseProblems("get", REVIEWS, 200, [{ ...review, id: "80" }]).join()).toContain("/0/id");
    expect(responseProblems("get", REVIEWS, 200, { reviews: [] }).join()).toContain("must be array");
  });

  it("checks undocumented error statuses against GitHub's basic error", () => {
    expect(responseProblems("get", REVIEWS, 500, { message: "Server Error", documentation_url: "https://docs.github.com/rest" })).toEqual([]);
    expect(responseProblems("get", REVIEWS, 500, { message: 42 })).not.toEqual([]);
  });
});
