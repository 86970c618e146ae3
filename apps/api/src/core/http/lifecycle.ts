/**
 * The process's phase, read by the readiness probe: once draining (SIGTERM), /readyz answers 503 so
 * a load balancer sends no new requests, while those in flight finish.
 */
export const lifecycle = { draining: false };
