// IncidentIoEmulator: a node:http server on 127.0.0.1 that behaves like the parts of
// the incident.io API this project uses, with a request log and injectable faults.
//
// Order of events for each request:
//   1. logged (status 0 until answered), counted as in flight;
//   2. body read;
//   3. the first matching injected fault (if any) is taken from the queue;
//   4. unless the fault short-circuits: auth (Bearer key) -> rate limit -> onBetween
//      hook -> endpoint handler (state changes happen here, synchronously);
//   5. the reply is held for `latencyMs` (timers, so other requests proceed), then sent.
// Listening, sockets, timers and close()/settled() are EmulatorHttpServer's (httpServer.ts), shared
// with the Checkly emulator; answering a fault is answerWithFault's (faults.ts).
import type * as http from "node:http";
import { alertRouteIdOf, dispatch, type ApiRequest } from "./api";
import { attributeAnswer, Catalogue, type AlertAttributeSeed, type EscalationPathSeed } from "./catalogue";
import type { AlertSourcePayload } from "./sources";
import { answerWithFault, FaultQueue } from "./faults";
import { EmulatorHttpServer, readBody } from "./httpServer";
import { DEFAULT_IDENTITY, identityReply, scopeRefusal, type EmulatedIdentity } from "./identity";
import { SlidingWindowLimiter } from "./rateLimit";
import { defaultErrorFor, errorReply, rateLimited, type Reply } from "./replies";
import { EmulatorState, type AlertSourceSeed } from "./state";
import { v3View, type V3OnlySettings } from "./v3";
import type {
    AlertRouteV2,
    AlertSourceV2,
    CreatePayload,
    EmulatorOptions,
    Fault,
    ManagedResourceV2,
    PendingRequest,
    RequestLogEntry,
} from "./types";

const MALFORMED_BODY = '{"alert_route": ';

interface Exchange {
    req: http.IncomingMessage;
    res: http.ServerResponse;
    entry: RequestLogEntry;
    api: ApiRequest;
    /** Set when the client went away before we answered. */
    aborted: boolean;
    /** Set when the body was not valid JSON. */
    badJson: boolean;
}

export class IncidentIoEmulator {
    /** Base URL, e.g. http://127.0.0.1:43121 (no trailing slash). */
    readonly url: string;
    readonly requests: RequestLogEntry[] = [];
    /** Delay added to every response, after processing. Settable at runtime. */
    latencyMs: number;
    /** Requests per sliding 60 s window per API key; undefined = unlimited. Settable. */
    rateLimitPerMinute: number | undefined;
    /** Highest number of requests in flight at once since start / resetLog(). */
    peakConcurrency = 0;
    /**
     * Optional hook run just before an authenticated, non-rate-limited request is handled
     * (after faults). Use it to change things "in the UI" between two client calls,
     * e.g. `emu.onBetween = (r) => { if (r.method === "PUT") emu.editInUi(id, ...) }`.
     */
    onBetween?: (req: PendingRequest) => void | Promise<void>;

    private apiKey: string;
    /** What GET /v1/identity answers for the key, and the scopes every request is checked against. */
    readonly identity: EmulatedIdentity;
    private readonly validate: boolean;
    private readonly rejectUnknownFields: boolean;
    /** Settable: whether /v3 answers (EmulatorOptions.v3). */
    v3: "available" | "not_migrated";
    private readonly state: EmulatorState;
    private readonly catalogue = new Catalogue();
    private readonly faults = new FaultQueue();
    private readonly limiter = new SlidingWindowLimiter();
    private inFlight = 0;

    private constructor(
        private readonly server: EmulatorHttpServer,
        opts: EmulatorOptions,
    ) {
        this.apiKey = opts.apiKey ?? "test-api-key";
        this.identity = { ...DEFAULT_IDENTITY, ...opts.identity };
        this.validate = opts.validate ?? true;
        this.rejectUnknownFields = opts.rejectUnknownFields ?? false;
        this.v3 = opts.v3 ?? "available";
        this.state = new EmulatorState(opts.echoAsSent ? undefined : { catalogAttributeIds: new Set(opts.catalogAttributeIds ?? []) });
        this.latencyMs = opts.latencyMs ?? 0;
        this.rateLimitPerMinute = opts.rateLimitPerMinute;
        this.url = server.url;
        server.serve((req, res) => this.handle(req, res), { name: "incident.io emulator", body: () => defaultErrorFor(500) });
    }

    static async start(opts: EmulatorOptions = {}): Promise<IncidentIoEmulator> {
        return new IncidentIoEmulator(await EmulatorHttpServer.listen(), opts);
    }

    /** Stops listening, destroys open sockets and drops pending delayed replies. */
    close(): Promise<void> {
        return this.server.close();
    }

    // ------------------------------------------------------------ state

    /** All stored routes (response shape), ordered by id. Copies. */
    routes(): AlertRouteV2[] {
        return this.state.listRoutes();
    }

    route(id: string): AlertRouteV2 | undefined {
        return this.state.getRoute(id);
    }

    /** Creates a route as if made in the dashboard: version 1, not validated, not logged. */
    seedRoute(payload: CreatePayload, opts: { id?: string } = {}): AlertRouteV2 {
        return this.state.createRoute(payload, opts.id);
    }

    /** Applies `mutate` to the stored route and bumps its version by 1. Throws if missing. */
    editInUi(id: string, mutate: (r: AlertRouteV2) => void): AlertRouteV2 {
        return this.state.editRoute(id, mutate);
    }

    /** A new key made in the dashboard and the old one revoked: from now on only `newKey` is accepted. */
    rotateApiKey(newKey: string): void {
        this.apiKey = newKey;
    }

    /** The route as /v3/alert_routes/{id} answers it (whatever `v3` says). Throws if missing. */
    v3View(id: string): Record<string, unknown> {
        const route = this.state.getRoute(id);
        if (!route) throw new Error(`no alert route with id ${id}`);
        return v3View(route, this.state.v3OnlySettings(id));
    }

    /** Sets settings only v3 can express, as a dashboard user on the v3 engine: version + 1. */
    editV3SettingsInUi(id: string, settings: V3OnlySettings): AlertRouteV2 {
        return this.state.editV3Settings(id, settings);
    }

    /** Deletes a route as if in the dashboard. Throws if missing. */
    deleteInUi(id: string): void {
        if (!this.state.deleteRoute(id)) throw new Error(`no alert route with id ${id}`);
    }

    addAlertSource(src: AlertSourceSeed): void {
        this.state.addAlertSource(src);
    }

    /** A source as the API answers it (AlertSourceV2), or undefined. */
    alertSource(id: string): AlertSourceV2 | undefined {
        return this.state.getAlertSource(id);
    }

    alertSources(): AlertSourceV2[] {
        return this.state.listAlertSources();
    }

    /** A change made in the dashboard: `mutate` edits the source's payload fields (stored as the API stores them). */
    editAlertSourceInUi(id: string, mutate: (payload: AlertSourcePayload) => void): AlertSourceV2 {
        return this.state.editAlertSource(id, mutate);
    }

    deleteAlertSourceInUi(id: string): void {
        if (!this.state.deleteAlertSource(id)) throw new Error(`no alert source with id ${id}`);
    }

    /** An attribute as the API answers it (AlertAttributeV2), or undefined. */
    alertAttribute(id: string): Record<string, unknown> | undefined {
        const attribute = this.catalogue.getAlertAttribute(id);
        return attribute && attributeAnswer(attribute);
    }

    addAlertAttribute(attribute: AlertAttributeSeed): void {
        this.catalogue.addAlertAttribute(attribute);
    }

    alertAttributes(): Array<Record<string, unknown>> {
        return this.catalogue.listAlertAttributes().map(attributeAnswer);
    }

    /** A change made in the dashboard: `mutate` edits the attribute (no version: AlertAttributeV2 has none). Throws if missing. */
    editAlertAttributeInUi(id: string, mutate: (attribute: AlertAttributeSeed) => void): Record<string, unknown> {
        if (!this.catalogue.editAlertAttribute(id, mutate)) throw new Error(`no alert attribute with id ${id}`);
        return this.alertAttribute(id)!;
    }

    deleteAlertAttributeInUi(id: string): void {
        if (!this.catalogue.deleteAlertAttribute(id)) throw new Error(`no alert attribute with id ${id}`);
    }

    addEscalationPath(path: EscalationPathSeed): void {
        this.catalogue.addEscalationPath(path);
    }

    /** The dashboard's "remove the managed-by-code marker": the claim is gone, the route itself unchanged.
     * A claimed resource cannot be edited in the dashboard until this is done (terraform-provider-incident
     * #68, #601); the API has no way to read a claim back (openapi.json: POST /v2/managed_resources only). */
    removeClaimInUi(resourceType: string, resourceId: string): void {
        if (!this.state.deleteManagedResource(resourceType, resourceId)) throw new Error(`no claim on ${resourceType} ${resourceId}`);
    }

    managedResources(): Array<{ resource_type: string; resource_id: string; annotations: Record<string, string> }> {
        return this.state
            .listManagedResources()
            .map(({ resource_type, resource_id, annotations }: ManagedResourceV2) => ({ resource_type, resource_id, annotations }));
    }

    // ------------------------------------------------------------ request log

    /** Number of logged requests, optionally filtered by method and path prefix. */
    count(method?: string, pathPrefix?: string): number {
        return this.requests.filter(
            (r) =>
                (method === undefined || r.method === method.toUpperCase()) && (pathPrefix === undefined || r.path.startsWith(pathPrefix)),
        ).length;
    }

    /** Clears the request log and peakConcurrency (not the rate-limit window). */
    resetLog(): void {
        this.requests.length = 0;
        this.peakConcurrency = this.inFlight;
    }

    /**
     * Resolves once every request that has arrived so far is fully handled, including requests whose
     * client gave up (a timed-out POST may still create its route). What "look again in a minute"
     * amounts to for a test.
     */
    settled(): Promise<void> {
        return this.server.settled();
    }

    // ------------------------------------------------------------ faults

    inject(fault: Fault): void {
        this.faults.add(fault);
    }

    clearFaults(): void {
        this.faults.clear();
    }

    // ------------------------------------------------------------ transport

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const method = (req.method ?? "GET").toUpperCase();
        const parsed = new URL(req.url ?? "/", "http://emulator.invalid");
        const entry: RequestLogEntry = { method, path: parsed.pathname, status: 0, at: Date.now() };
        this.requests.push(entry);
        this.inFlight += 1;
        this.peakConcurrency = Math.max(this.peakConcurrency, this.inFlight);

        const ex: Exchange = {
            req,
            res,
            entry,
            api: { method, path: parsed.pathname, query: parsed.searchParams, body: undefined },
            aborted: false,
            badJson: false,
        };
        res.on("close", () => {
            this.inFlight -= 1;
            if (!res.writableFinished) ex.aborted = true;
        });

        const raw = await readBody(req);
        if (raw.trim() !== "") {
            try {
                ex.api.body = JSON.parse(raw);
            } catch {
                ex.badJson = true;
            }
        }

        const fault = this.faults.take(method, parsed.pathname);
        if (!fault) return this.respond(ex, await this.process(ex));
        if (fault.kind === "ui-edit") {
            this.editNamedInPath(fault, parsed.pathname);
            return this.respond(ex, await this.process(ex));
        }
        return answerWithFault(fault, {
            process: () => this.process(ex),
            respond: (reply) => this.respond(ex, reply),
            reset: () => this.reset(ex),
            clientGone: () => ex.aborted,
            sleep: (ms) => this.server.sleep(ms),
            errorBody: defaultErrorFor,
            rateLimited: (seconds, retryAfter) => rateLimited(seconds, retryAfter === "body-only" ? "none" : retryAfter),
            malformedBody: MALFORMED_BODY,
        });
    }

    /** The ui-edit fault: the route, source or attribute the path names is renamed (name + " (edited in UI)")
     * as a dashboard user would, just before the request is handled. Sources and attributes carry no
     * version (openapi AlertSourceV2, AlertAttributeV2), so nothing else of theirs changes. */
    private editNamedInPath(fault: Extract<Fault, { kind: "ui-edit" }>, path: string): void {
        const rename = (name: string) => `${name} (edited in UI)`;
        const routeId = fault.routeId ?? alertRouteIdOf(path);
        if (routeId !== undefined && this.state.getRoute(routeId)) {
            this.state.editRoute(routeId, fault.mutate ?? ((r) => void (r.name = rename(r.name))));
            return;
        }
        const other = /^\/v2\/alert_(sources|attributes)\/([^/]+)$/.exec(path);
        if (!other) return;
        const id = decodeURIComponent(other[2]);
        if (other[1] === "sources" && this.state.getAlertSource(id)) this.state.editAlertSource(id, (p) => void (p.name = rename(p.name)));
        if (other[1] === "attributes") this.catalogue.editAlertAttribute(id, (a) => void (a.name = rename(a.name)));
    }

    /** Auth, rate limit, the onBetween hook, then the endpoint itself. */
    private async process(ex: Exchange): Promise<Reply> {
        const auth = ex.req.headers.authorization;
        if (!auth) {
            return errorReply(
                401,
                "authentication_error",
                "missing_authorization_material",
                "No authorization material provided in request",
            );
        }
        const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
        if (token !== this.apiKey) {
            return errorReply(401, "authentication_error", "invalid_authorization_material", "The API key provided is invalid");
        }
        const limit = this.rateLimitPerMinute;
        if (limit !== undefined) {
            const retryAfter = this.limiter.take(token, limit);
            // The API's own 429: Retry-After as an HTTP date, as incident.io's client reads it (replies.ts).
            if (retryAfter !== undefined) return rateLimited(retryAfter, "http-date", limit);
        }
        if (ex.badJson) {
            return errorReply(400, "bad_request", "invalid_json", "The request body is not valid JSON");
        }
        if (ex.api.method === "GET" && ex.api.path === "/v1/identity") return identityReply(this.identity);
        const refused = scopeRefusal(this.identity, ex.api.method, ex.api.path);
        if (refused) return refused;
        if (this.onBetween) {
            await this.onBetween({ method: ex.api.method, path: ex.api.path, query: ex.api.query, body: ex.api.body });
        }
        try {
            return dispatch(
                {
                    state: this.state,
                    catalogue: this.catalogue,
                    validate: this.validate,
                    rejectUnknownFields: this.rejectUnknownFields,
                    v3: this.v3,
                },
                ex.api,
            );
        } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            return errorReply(500, "internal_error", "internal_error", `emulator could not handle the request: ${message}`);
        }
    }

    /** Sends the reply after `latencyMs`, unless the client went away meanwhile. */
    private async respond(ex: Exchange, reply: Reply): Promise<void> {
        if (this.latencyMs > 0) await this.server.sleep(this.latencyMs);
        if (ex.aborted) return;
        this.server.send(ex.res, ex.entry, reply);
    }

    private async reset(ex: Exchange): Promise<void> {
        if (this.latencyMs > 0) await this.server.sleep(this.latencyMs);
        ex.req.socket.destroy();
    }
}
