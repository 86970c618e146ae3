import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { answerScimError, invalidSyntax, ScimError, scimNotFound } from './errors';
import { SCIM_MAX_PAYLOAD } from './schemas';

/** The media types a SCIM body may have (RFC 7644 §3.1 names `application/scim+json`; clients also send JSON). */
const SCIM_TYPES = ['application/scim+json', 'application/json'];

function mediaType(req: Request): string | null {
  const header = req.headers['content-type'];
  return typeof header === 'string' ? header.split(';')[0].trim().toLowerCase() : null;
}

const parseJson = express.json({
  limit: SCIM_MAX_PAYLOAD,
  strict: true,
  type: (req) => SCIM_TYPES.includes(mediaType(req as Request) ?? ''),
});

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Deeper than any SCIM resource, search or PATCH (a handful of levels): refused before any code walks it (a body of
 * 1 MiB nests 100,000 levels, and a recursive walk of it overflows the stack).
 */
const MAX_DEPTH = 32;

/** Whether a parsed body nests objects or lists deeper than MAX_DEPTH (walked without recursion). */
function nestedTooDeep(body: unknown): boolean {
  const stack: [unknown, number][] = [[body, 1]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [value, depth] = item;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) return true;
    for (const inner of Array.isArray(value) ? value : Object.values(value)) stack.push([inner, depth + 1]);
  }
  return false;
}

/** Whether every percent-escape of a path decodes (as the router decodes a route's parameters). */
function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The body of a SCIM request, mounted on `/scim` before the API's JSON parser: `application/scim+json`
 * or `application/json` up to the advertised `maxPayloadSize`. Its refusals are SCIM errors, answered
 * here (no route has run yet): over the size, `413`; malformed JSON, nested deeper than MAX_DEPTH,
 * another content type on a write, or another encoding, `400 invalidSyntax`.
 */
export function scimBody(req: Request, res: Response, next: NextFunction): void {
  // A path the router could not decode (`/Users/%E0%A4%A`) would fail there, outside every SCIM route and its filter:
  // no resource has such an id, so it is answered here as one that does not exist.
  if (!decodes(req.path)) {
    answerScimError(res, scimNotFound('No such resource.'));
    return;
  }
  if (WRITES.has(req.method) && !SCIM_TYPES.includes(mediaType(req) ?? '')) {
    answerScimError(res, invalidSyntax('The body must be application/scim+json (or application/json).'));
    return;
  }
  parseJson(req, res, (error?: unknown) => {
    if (!error) {
      if (!nestedTooDeep(req.body)) return next();
      answerScimError(res, invalidSyntax(`The body is nested deeper than ${MAX_DEPTH} levels.`));
      return;
    }
    const status = (error as { status?: unknown }).status;
    answerScimError(
      res,
      status === 413
        ? new ScimError(413, undefined, `The body is larger than the maxPayloadSize, ${SCIM_MAX_PAYLOAD} bytes.`)
        : invalidSyntax('The body is not valid JSON.'),
    );
  });
}
