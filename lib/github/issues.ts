import type { IssueAction } from "../operations/tracked-issue";
import type { RepositoryPort } from "./port";

/** Carries out a tracked issue's actions; a new issue gets `label` (how the job finds it again) and no assignee. */
export async function applyIssueActions(repo: RepositoryPort, label: string, actions: readonly IssueAction[]): Promise<void> {
  for (const a of actions) {
    switch (a.kind) {
      case "create":
        await repo.createIssue({ title: a.title, body: a.body, labels: [label], assignees: [] });
        break;
      case "update":
        await repo.updateIssue(a.number, { title: a.title, body: a.body });
        break;
      case "close":
        await repo.closeIssue(a.number, a.comment);
        break;
    }
  }
}
