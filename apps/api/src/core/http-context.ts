import type { Request, Response } from 'express';

/** The GraphQL context (app.module.ts): the Express request and response of the call. */
export interface HttpContext {
  req: Request;
  res: Response;
}
