import express, { type Express, type RequestHandler } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { PassportStatic } from 'passport';
import { createPassport } from './auth/passport';
import { authRoutes } from './auth/routes';
import { sessionStore } from './auth/session-store';
import type { AppContext } from './context';
import { countyRoutes } from './counties/routes';
import { healthRoutes } from './health/routes';
import { errorHandler, notFound } from './http/error-handler';
import { UnauthorizedError } from './http/errors';
import { refuseCrossSite, requireJsonBody } from './http/request-guards';
import { openApiRoutes } from './openapi/routes';
import { petitionRoutes } from './petitions/routes';
import { sectionRoutes } from './sections/routes';
import { signatureRoutes } from './signatures/routes';
import { tallyRoutes } from './tallies/routes';
import { userRoutes } from './users/routes';
import { verificationRoutes } from './verification/routes';
import { clientRoutes } from './web/client';

const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;

const SESSION_COOKIE = 'sid';

const SCAN_PATH = /^\/api\/petitions\/[^/]+\/sections\/[^/]+\/scan$/;

/**
 * Who is calling: a bearer token, or else the session cookie. Requests with neither (public reads,
 * scripts) skip the session store entirely; only sign-in starts a session (whatever token it carries).
 */
function authenticate(passport: PassportStatic, sessions: RequestHandler): RequestHandler {
  const bearer: RequestHandler = (req, res, next) =>
    passport.authenticate('bearer', { session: false }, (err: unknown, user: Express.User | false) => {
      if (err) return next(err);
      if (!user) {
        return next(
          new UnauthorizedError('The bearer token is not valid.', {
            headers: { 'WWW-Authenticate': 'Bearer' },
          }),
        );
      }
      req.user = user;
      next();
    })(req, res, next);
  const fromSession = passport.session();
  return (req, res, next) => {
    const signingIn = req.path === '/api/auth/login';
    if (!signingIn && req.get('authorization')?.startsWith('Bearer ')) return bearer(req, res, next);
    const hasCookie = req.headers.cookie?.includes(`${SESSION_COOKIE}=`) ?? false;
    if (!hasCookie && !signingIn) return next();
    sessions(req, res, (err?: unknown) => (err ? next(err) : fromSession(req, res, next)));
  };
}

function trustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Builds the HTTP app from its parts; no listening, no timers. */
export function createApp(ctx: AppContext, state = { shuttingDown: false }): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy(ctx.config.trustProxy));
  app.set('etag', false);
  app.use(
    helmet({
      // Outside production the app is often opened over plain http on a local network (a phone
      // trying the volunteer app): upgrading its requests to https would break every asset.
      contentSecurityPolicy: {
        directives: { upgradeInsecureRequests: ctx.config.env === 'production' ? [] : null },
      },
    }),
  );

  app.use((_req, res, next) => {
    if (state.shuttingDown) res.setHeader('Connection', 'close');
    next();
  });
  const health = healthRoutes(ctx, state);
  app.use(health.router);
  app.use(refuseCrossSite);
  // A voter file is sent as text/csv and streamed, a scan as the image or PDF it is: never parsed as JSON.
  app.use(requireJsonBody((path) => path === '/api/voter-files' || SCAN_PATH.test(path)));
  app.use(express.json({ limit: '1mb' }));

  const sessions = session({
    name: SESSION_COOKIE,
    secret: ctx.config.sessionSecret,
    store: sessionStore(ctx.knex, ctx.log),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: SESSION_MAX_AGE_MS },
  });
  const passport = createPassport(ctx.knex, ctx.identities, ctx.tokens);
  app.use(passport.initialize());
  app.use(authenticate(passport, sessions));

  const apis = [
    authRoutes(ctx, passport),
    userRoutes(ctx),
    petitionRoutes(ctx),
    signatureRoutes(ctx),
    tallyRoutes(ctx),
    verificationRoutes(ctx),
    sectionRoutes(ctx),
    countyRoutes(),
  ];
  const documentation = openApiRoutes(() => [health, ...apis, documentation].map((a) => a.paths));
  for (const api of [...apis, documentation]) app.use(api.router);

  app.use(clientRoutes());
  app.use(notFound);
  app.use(errorHandler(ctx.log));
  return app;
}
