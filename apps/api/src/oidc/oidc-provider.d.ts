// `oidc-provider` ships no types: the little of it Roster touches, loosely.
/* eslint-disable @typescript-eslint/no-explicit-any -- its models and interaction details are untyped JavaScript objects */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ProviderInstance {
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    on(event: string, listener: (...args: any[]) => void): void;
    /** Koa middleware around every provider request (before its router). */
    use(middleware: (ctx: any, next: () => Promise<void>) => Promise<void>): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<any>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: Record<string, unknown>,
    ): Promise<string>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: Record<string, unknown>,
    ): Promise<void>;
    Grant: any;
    Client: any;
    Session: any;
    AccessToken: any;
    RefreshToken: any;
  }

  const Provider: new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;
  export default Provider;
  export const errors: Record<string, new (...args: any[]) => Error>;
}
