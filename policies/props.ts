import { UnknownValueError } from "@pulumi/policy";
import { UNKNOWN, type Props } from "../lib/compliance/observed";

/**
 * The engine hands policies a proxy that throws on any value unknown during preview, which would skip
 * the whole policy. Copying through it turns each unknown into UNKNOWN, so the checks see exactly
 * which property is unknown and can refuse that one.
 */
export function plainProps(props: Record<string, unknown>): Props {
  return copy(props) as Props;
}

function copy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(read(value, i));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = read(value as Record<string, unknown>, key);
  return out;
}

function read(container: any, key: string | number): unknown {
  try {
    return copy(container[key]);
  } catch (e) {
    if (e instanceof UnknownValueError) return UNKNOWN;
    throw e;
  }
}
