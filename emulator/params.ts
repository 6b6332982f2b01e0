/**
 * Bot API call parameters from the query string and a JSON, urlencoded or multipart body, with
 * the loose typing of the Bot API server: form fields are strings, and object fields may arrive
 * as JSON text.
 */

import { badRequest } from "./errors.ts";

export type ParamValue = string | number | boolean | null | object;

export class Params {
  readonly values: Map<string, ParamValue>;

  constructor(values: Map<string, ParamValue>) {
    this.values = values;
  }

  has(name: string): boolean {
    const value = this.values.get(name);
    return value !== undefined && value !== null && value !== "";
  }

  /** Returns the parameter as text, or undefined when it is missing or empty. */
  string(name: string): string | undefined {
    const value = this.values.get(name);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value === "object") return JSON.stringify(value);
    return String(value);
  }

  /** Returns an integer parameter; missing gives undefined and anything else not integral gives NaN. */
  integer(name: string): number | undefined {
    const value = this.values.get(name);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value === "number") return Number.isInteger(value) ? value : Number.NaN;
    if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value.trim());
    return Number.NaN;
  }

  /** Reads a boolean the way the Bot API does: true, "true" and "1" are true. */
  boolean(name: string): boolean {
    const value = this.values.get(name);
    return value === true || value === "true" || value === "1" || value === 1;
  }

  /** Returns an object or array parameter, parsing JSON text; throws the given cause when invalid. */
  json(name: string, invalidCause: string): unknown {
    const value = this.values.get(name);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value === "object") return value;
    if (typeof value !== "string") throw badRequest(invalidCause);
    try {
      return JSON.parse(value);
    } catch {
      throw badRequest(invalidCause);
    }
  }
}

/** Merges query and body parameters, the body winning; throws a Bot API error on a broken body. */
export async function readParams(query: URLSearchParams, contentType: string, body: Buffer): Promise<Params> {
  const values = new Map<string, ParamValue>();
  for (const [name, value] of query) values.set(name, value);
  if (body.length === 0) return new Params(values);

  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (mediaType === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("Can't parse JSON object");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw badRequest("Can't parse JSON object");
    }
    for (const [name, value] of Object.entries(parsed)) values.set(name, value as ParamValue);
  } else if (mediaType === "application/x-www-form-urlencoded") {
    for (const [name, value] of new URLSearchParams(body.toString("utf8"))) values.set(name, value);
  } else if (mediaType === "multipart/form-data") {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData();
    } catch {
      throw badRequest("Can't parse multipart/form-data body");
    }
    form.forEach((value, name) => {
      if (typeof value === "string") values.set(name, value);
    });
  }
  return new Params(values);
}
