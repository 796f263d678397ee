// Pulumi mocks are set up here, before any test runs, rather than inline in a test file: a static
// import of the program would be hoisted above an inline setMocks and bypass the mocks (DESIGN §11).
import { beforeAll } from "vitest";
import { installMocks } from "../../stacks/simulate";

beforeAll(() => installMocks());
