import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '../config/config';
import { allowedOrigin, returnToPolicy } from './return-to';

/**
 * Headers of GET /auth/whoami and GET /auth/forward, set before the route (so a refusal carries them
 * too): never stored by a cache (the answer is a person's), and for whoami CORS with credentials for
 * RETURN_TO_ORIGINS alone. A preflight from a listed origin gets 204 with what a credentialed GET
 * needs; from any other origin 403 without CORS headers, so the browser refuses the call.
 */
export function hostIdentityHeaders(config: AppConfig) {
  const policy = returnToPolicy(config);
  // Mounted at /auth: req.path is the rest.
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.path !== '/whoami' && req.path !== '/forward') return next();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    if (req.path !== '/whoami') return next();
    res.setHeader('Vary', 'Origin');
    const origin = allowedOrigin(req.headers.origin, policy);
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method !== 'OPTIONS') return next();
    if (!origin) return void res.status(403).end();
    res.setHeader('Access-Control-Allow-Methods', 'GET');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, X-Roster-Organization');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
