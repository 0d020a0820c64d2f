/**
 * The agent's Hono app: middleware order and the resources it mounts. No I/O
 * happens here or at import; every figure comes from the sources in `deps`.
 *
 * Order matters: read-only (405) first, then CORS (a preflight carries no
 * token), secure headers, the loopback Host guard, then the token for /api
 * and /metrics. The web app's static files need no token: they hold no data,
 * and the app asks the user for the token.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { isLoopbackHost } from './config.ts';
import type { AgentDeps } from './deps.ts';
import { ApiError, errorBody } from './errors.ts';
import { bearerAuth } from './middleware/auth.ts';
import { cors } from './middleware/cors.ts';
import { loopbackHostOnly } from './middleware/host-check.ts';
import { readOnly } from './middleware/read-only.ts';
import { containerRoutes } from './routes/containers.ts';
import { dumpsRoutes } from './routes/dumps.ts';
import { historyRoutes } from './routes/history.ts';
import { hostRoutes } from './routes/host.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { processRoutes } from './routes/processes.ts';
import { webStaticRoutes } from './routes/web-static.ts';

/** The origins of the agent itself, for CORS: its own pages are same-origin anyway. */
export function ownOrigins(host: string, port: number): string[] {
  const names = isLoopbackHost(host) ? ['127.0.0.1', 'localhost', '[::1]'] : [host.includes(':') ? `[${host}]` : host];
  return names.map((name) => `http://${name}:${port}`);
}

export function createApp(deps: AgentDeps): Hono {
  const { config } = deps;
  const app = new Hono();
  const origins = new Set([...config.allowOrigins, ...ownOrigins(config.host, config.port)]);

  app.use('*', readOnly());
  app.use('*', cors(origins));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: false, crossOriginOpenerPolicy: 'same-origin' }));
  if (isLoopbackHost(config.host)) app.use('*', loopbackHostOnly());
  if (config.token !== null) {
    app.use('/api/*', bearerAuth(config.token));
    app.use('/metrics', bearerAuth(config.token));
  }
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
  });

  app.route('/api/v1/host', hostRoutes(deps));
  app.route('/api/v1/processes', processRoutes(deps));
  app.route('/api/v1/containers', containerRoutes(deps));
  app.route('/api/v1/history', historyRoutes(deps));
  app.route('/api/v1/dumps', dumpsRoutes(deps.dumps, deps.downloads));
  app.route('/metrics', metricsRoutes(deps));
  if (config.webDir !== null) app.route('/', webStaticRoutes(config.webDir));

  app.notFound((c) => c.json(errorBody('not_found', `no such resource: ${c.req.path.slice(0, 200)}`), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.body(), error.status, error.extraHeaders);
    return c.json(errorBody('internal', 'the agent failed to answer; see its log'), 500);
  });
  return app;
}
