import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The request as GraphQL resolvers, guards and services see it: Node's own, with the cookies and the
 * client's address read. GraphQL POSTs are served without Express (graphql-http.ts); Express's request
 * (SSO routes, GraphQL over GET) has the same members.
 */
export type CallerRequest = IncomingMessage & {
  /** Parsed from the Cookie header. */
  cookies?: Record<string, string | undefined>;
  /** The client's address, through trusted proxies (TRUST_PROXY). */
  ip?: string;
};

/** The response: Node's own (cookies are set with core/cookies.ts, never with Express's helpers). */
export type CallerResponse = ServerResponse;

/** The GraphQL context (roots.ts): the request and response of the call. */
export interface HttpContext {
  req: CallerRequest;
  res: CallerResponse;
}
