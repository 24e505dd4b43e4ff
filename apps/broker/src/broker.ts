/**
 * The broker core: `createBroker(deps).serve(request) → Promise<BrokerResponse>` on plain data (the Lambda
 * adapter's entry, which never builds web objects), and the web-style seam
 * `createBroker(deps).handle(request, ctx) → Promise<Response>` over it (tests, the emulator). Both run
 * the same routing, audit and metrics.
 *
 * Routing (v1):
 * | path | methods | otherwise |
 * |---|---|---|
 * | `/v1/token` | `POST`, `GET` | 405 `method_not_allowed`, `Allow: GET, POST` |
 * | `/v1/profiles` | `GET` | 405, `Allow: GET` |
 * | `/v1/whoami` | `GET` | 405, `Allow: GET` |
 * | any other path | – | 400 `invalid_request` naming the valid paths (the contract has no 404 route code; 404 means `unknown_profile`) |
 *
 * The IAM context is checked before routing: without it every request is 401 `unauthorized`.
 * Every request produces exactly one audit line and one `Requests` metric; an unexpected exception is
 * logged with its detail and answered `internal_error` with a generic description.
 */

import type { FetchLike } from "@mcp-token/core";
import {
  type BrokerConfig,
  BrokerError,
  type Clock,
  isBrokerError,
  systemClock,
  TokenCache,
} from "@mcp-token/core";
import { type AuditSink, logAuditSink, newAuditRecord } from "./audit.js";
import { type CallerIdentity, requirePrincipal } from "./authorize.js";
import { type BrokerSettings, DEFAULT_SETTINGS } from "./env.js";
import { type BrokerRequest, type BrokerResponse, errorResponse } from "./http/exchange.js";
import { fromWebRequest, toWebResponse } from "./http/web.js";
import { createIssuanceBudget } from "./issuanceBudget.js";
import { type BrokerLogger, SecretScrubber } from "./logger.js";
import { type BrokerMetrics, noopMetrics } from "./metrics.js";
import type { RouteContext } from "./routes/context.js";
import { listProfiles } from "./routes/profiles.js";
import { getToken, postToken } from "./routes/token.js";
import { whoami } from "./routes/whoami.js";
import type { SecretProvider } from "./secrets.js";
import type { SharedTokenStore } from "./sharedCache/store.js";
import { createSharedTokenTier, type SharedTierOptions } from "./sharedCache/tier.js";
import { createTokenService } from "./tokens.js";
import type { AuditRecord, CachedToken } from "./types.js";
import { createUpstreamClient } from "./upstream/client.js";

/** Per-request context from the adapter (web seam). */
export interface HandleContext {
  /** Request id (Function URL `requestContext.requestId`), echoed in errors and logs. */
  requestId: string;
  /** `requestContext.authorizer.iam`; undefined when the request carried no IAM context. */
  identity: CallerIdentity | undefined;
}

/** What {@link createBroker} needs. Everything but `config`, `secrets` and `logger` has a default. */
export interface BrokerDeps {
  /** Validated configuration (core `parseBrokerConfig`). */
  config: BrokerConfig;
  /** Source of client credentials. */
  secrets: SecretProvider;
  /** Structured logger (operator messages). */
  logger: BrokerLogger;
  /** Where each request's audit record goes. Default: `logger.info("audit", …)` ({@link logAuditSink}). */
  audit?: AuditSink;
  /** Metrics sink. Default: none. */
  metrics?: BrokerMetrics;
  /** Timeouts, retries and secret cache lifetime. Default {@link DEFAULT_SETTINGS}. */
  settings?: Partial<BrokerSettings>;
  /** Clock for expiry and retry deadlines. Default the system clock. */
  clock?: Clock;
  /** fetch used for the issuer. Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Sleep between upstream retries. Default real timers. */
  sleep?: (ms: number) => Promise<void>;
  /** Token cache (share one at module scope in Lambda). Default a new `TokenCache` on `clock`. */
  cache?: TokenCache<CachedToken>;
  /**
   * Shared second tier under the memory cache (DynamoDB in Lambda, see `createDynamoDbTokenStore`).
   * Default none: memory only.
   */
  sharedStore?: SharedTokenStore;
  /** Tuning of the shared tier (lease, wait, cooldown, sleep, label); defaults `SHARED_TIER_DEFAULTS`. */
  sharedTier?: Omit<SharedTierOptions, "store" | "logger" | "metrics" | "scrubber" | "clock">;
}

/** A running broker. */
export interface Broker {
  /**
   * Answers one request given as plain data (the Lambda adapter's entry: no web objects). Never rejects.
   */
  serve(request: BrokerRequest): Promise<BrokerResponse>;
  /** Answers one web request (the web-style seam: tests, the emulator); {@link serve} underneath. Never rejects. */
  handle(request: Request, ctx: HandleContext): Promise<Response>;
  /** The token cache (for tests and diagnostics). */
  readonly cache: TokenCache<CachedToken>;
}

type Route = (ctx: RouteContext) => BrokerResponse | Promise<BrokerResponse>;

/**
 * Creates a broker.
 *
 * @example
 * const broker = createBroker({ config, secrets: createSecretsManagerProvider(), logger: console });
 * const res = await broker.handle(new Request("https://x/v1/whoami"), { requestId: "r1", identity });
 * const plain = await broker.serve({ method: "GET", path: "/v1/whoami", query: "", headers: {}, body: null,
 *   identity, requestId: "r2" }); // { status: 200, headers: {…}, body: "{…}" }
 */
export function createBroker(deps: BrokerDeps): Broker {
  const settings: BrokerSettings = { ...DEFAULT_SETTINGS, ...deps.settings };
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger;
  const auditSink = deps.audit ?? logAuditSink(logger);
  const metrics = deps.metrics ?? noopMetrics;
  const scrubber = new SecretScrubber();
  const cache = deps.cache ?? new TokenCache<CachedToken>({ clock });
  const upstream = createUpstreamClient({
    fetch: deps.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    clock,
    ...(deps.sleep && { sleep: deps.sleep }),
    deadlineMs: settings.upstreamDeadlineMs,
    timeoutMs: settings.upstreamTimeoutMs,
    connectTimeoutMs: settings.upstreamConnectTimeoutMs,
    maxAttempts: settings.upstreamMaxAttempts,
    onAttempt: (attempt) => {
      metrics.upstreamAttempt(attempt);
      const level = attempt.outcome === "ok" ? "debug" : "warn";
      logger[level]("upstream attempt", { ...attempt });
    },
  });
  const shared = deps.sharedStore
    ? createSharedTokenTier({
        ...deps.sharedTier,
        store: deps.sharedStore,
        logger,
        metrics,
        scrubber,
        clock,
      })
    : undefined;
  const tokens = createTokenService({
    cache,
    secrets: deps.secrets,
    upstream,
    clock,
    logger,
    scrubber,
    ...(shared && { shared }),
    budget: createIssuanceBudget(deps.config.issuanceBudget ?? { max: 60, windowSeconds: 3600 }, clock),
  });

  const routes: Record<string, Partial<Record<string, Route>>> = {
    "/v1/token": { POST: (ctx) => postToken(ctx, tokens), GET: (ctx) => getToken(ctx, tokens) },
    "/v1/profiles": { GET: listProfiles },
    "/v1/whoami": { GET: whoami },
  };

  async function route(request: BrokerRequest, audit: AuditRecord): Promise<BrokerResponse> {
    const principal = requirePrincipal(request.identity);
    audit.principal = principal.arn;
    audit.normalizedPrincipal = principal.normalized;
    audit.accountId = principal.accountId;
    const path = request.path;
    const methods = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (!methods) {
      throw new BrokerError(
        "invalid_request",
        `Unknown path ${JSON.stringify(path.slice(0, 100))}; the broker serves POST|GET /v1/token, GET /v1/profiles and GET /v1/whoami.`,
      );
    }
    const handler = Object.hasOwn(methods, request.method) ? methods[request.method] : undefined;
    if (!handler) {
      throw new BrokerError(
        "method_not_allowed",
        `${path} does not accept ${request.method.slice(0, 16)}; use ${Object.keys(methods).join(" or ")}.`,
      );
    }
    return handler({
      request,
      requestId: request.requestId,
      principal,
      config: deps.config,
      audit,
      now: () => clock.now(),
    });
  }

  async function serve(request: BrokerRequest): Promise<BrokerResponse> {
    const started = clock.now();
    const audit = newAuditRecord(request);
    let response: BrokerResponse;
    try {
      response = await route(request, audit);
    } catch (caught) {
      const error = isBrokerError(caught) ? caught : toInternal(caught);
      audit.outcome = error.code;
      const detail = {
        requestId: request.requestId,
        code: error.code,
        error: scrubber.describeError(error.cause ?? error),
      };
      if (error.status >= 500) logger.error(`request failed: ${scrubber.scrub(error.description)}`, detail);
      else logger.warn(`request refused: ${scrubber.scrub(error.description)}`, detail);
      const methods = error.code === "method_not_allowed" ? routes[request.path] : undefined;
      response = errorResponse(
        error,
        request.requestId,
        methods ? { allow: Object.keys(methods).join(", ") } : undefined,
      );
    }
    audit.status = response.status;
    audit.durationMs = clock.now() - started;
    metrics.request(audit.outcome, audit.durationMs, audit.cache);
    auditSink.write(audit);
    return response;
  }

  return {
    cache,
    serve,
    async handle(request, ctx) {
      return toWebResponse(await serve(fromWebRequest(request, ctx)));
    },
  };
}

function toInternal(error: unknown): BrokerError {
  return new BrokerError(
    "internal_error",
    "The broker failed unexpectedly; an operator should check its log for this request_id.",
    { cause: error },
  );
}

/**
 * A broker that cannot serve because its configuration is invalid: every request answers
 * `internal_error` and logs `message` (which names the bad variable or field) for the operator.
 */
export function createFailedBroker(
  message: string,
  logger: BrokerLogger,
  metrics: BrokerMetrics = noopMetrics,
  auditSink: AuditSink = logAuditSink(logger),
): Pick<Broker, "serve" | "handle"> {
  async function serve(request: BrokerRequest): Promise<BrokerResponse> {
    logger.error(`broker misconfigured: ${message}`, {
      requestId: request.requestId,
      operatorAction: "fix the configuration and redeploy",
    });
    metrics.request("internal_error", 0);
    const error = new BrokerError(
      "internal_error",
      "The broker is misconfigured; an operator should check its log for this request_id.",
    );
    const audit = newAuditRecord(request);
    audit.outcome = error.code;
    audit.status = error.status;
    auditSink.write(audit);
    return errorResponse(error, request.requestId);
  }
  return {
    serve,
    async handle(request, ctx) {
      return toWebResponse(await serve(fromWebRequest(request, ctx)));
    },
  };
}
