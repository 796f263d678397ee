/**
 * GitHub's REST API description (`@octokit/openapi`, api.github.com) as a response validator for the
 * fake GitHub server: every body the fake serves must match the operation's documented response, so
 * the fake cannot drift from the real API.
 */
import fs from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

const SPEC_FILE = require.resolve("@octokit/openapi/generated/api.github.com.json");

type Json = any;
let loaded: { spec: Json; ajv: Ajv } | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * OpenAPI 3.0 writes "may be null" as `nullable: true`, also next to `$ref`/`allOf` where JSON
 * Schema needs an explicit alternative. Rewritten once, in place, on the parsed description.
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === "example" || k === "examples" ? v : toJsonSchema(v);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === "string") return { ...out, type: [out.type, "null"], ...(out.enum ? { enum: [...out.enum, null] } : {}) };
    return { anyOf: [out, { type: "null" }] };
  }
  delete out.nullable;
  return out;
}

function load(): { spec: Json; ajv: Ajv } {
  if (loaded) return loaded;
  const spec = JSON.parse(fs.readFileSync(SPEC_FILE, "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  addFormats(ajv);
  ajv.addSchema({ $id: "gh", components: { schemas: toJsonSchema(spec.components.schemas) } }, undefined, undefined, false);
  loaded = { spec, ajv };
  return loaded;
}

/** The documented example of a component, as a starting point for fake bodies. */
export function example(name: string): Json {
  const value = load().spec.components.examples[name]?.value;
  if (value === undefined) throw new Error(`no example ${name} in the OpenAPI description`);
  return structuredClone(value);
}

/**
 * Checks `body` against the response schema of `method template` with `status` (an error status the
 * operation does not document: against GitHub's basic error); returns the problems.
 */
export function responseProblems(method: string, template: string, status: number, body: unknown): string[] {
  const key = `${method} ${template} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    const { spec, ajv } = load();
    const response = spec.paths[template]?.[method]?.responses?.[String(status)];
    // GitHub documents only some error statuses per operation; all of them answer with a basic error.
    if (!response && status < 400) return [`${key}: not a documented response`];
    const content = response ? (response.content?.["application/json"] ?? Object.values(response.content ?? {})[0]) : { schema: { $ref: "#/components/schemas/basic-error" } };
    if (!content) return [];
    const schema = toJsonSchema(JSON.parse(JSON.stringify(content.schema).replaceAll('"#/components/', '"gh#/components/')));
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 5).map((e) => `${key}: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}
