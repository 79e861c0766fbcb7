// The emulator's in-memory world: alert routes, alert sources, managed resources.
// All operations are synchronous, so each request applies atomically.
import { newUlid } from "./ids";
import { normaliseStoredRoute, serverOrder, type NormaliseOptions } from "./normalise";
import { routeFromPayload, sortExpressions } from "./shapes";
import type { AlertRouteV2, AlertSourceV2, CreatePayload, ManagedResourcePayload, ManagedResourceV2 } from "./types";
import type { V3OnlySettings } from "./v3";

export interface AlertSourceSeed {
    id: string;
    name: string;
    source_type: string;
    secret_token?: string;
}

const clone = <T>(value: T): T => structuredClone(value);

export class EmulatorState {
    private readonly routes = new Map<string, AlertRouteV2>();
    private readonly sources = new Map<string, AlertSourceSeed>();
    private readonly managed = new Map<string, ManagedResourceV2>();
    /** Per route: what only v3 can say (v3.ts). */
    private readonly v3Only = new Map<string, V3OnlySettings>();

    /** `normalise` undefined: store routes as sent (EmulatorOptions.echoAsSent). */
    constructor(private readonly normalise?: NormaliseOptions) {}

    private stored(route: AlertRouteV2): AlertRouteV2 {
        return this.normalise ? normaliseStoredRoute(route, this.normalise) : route;
    }

    // ------------------------------------------------------------ alert routes

    listRoutes(): AlertRouteV2[] {
        return [...this.routes.keys()].sort().map((id) => clone(this.routes.get(id)!));
    }

    getRoute(id: string): AlertRouteV2 | undefined {
        const route = this.routes.get(id);
        return route && clone(route);
    }

    createRoute(payload: CreatePayload, id: string = newUlid()): AlertRouteV2 {
        if (this.routes.has(id)) throw new Error(`alert route ${id} already exists`);
        const now = new Date().toISOString();
        const route = this.stored(routeFromPayload(payload, { id, version: 1, created_at: now, updated_at: now }));
        this.routes.set(id, route);
        return clone(route);
    }

    /** Replaces a route with a payload (PUT semantics); the caller has checked the version. What a v2
     * write does to v3-only settings is not documented: the emulator assumes the worst, they go back
     * to their defaults (the hazard the provider must not run into). */
    replaceRoute(id: string, payload: CreatePayload, version: number): AlertRouteV2 {
        const existing = this.requireRoute(id);
        this.v3Only.delete(id);
        const route = this.stored(
            routeFromPayload(payload, {
                id,
                version,
                created_at: existing.created_at,
                updated_at: new Date().toISOString(),
            }),
        );
        this.routes.set(id, route);
        return clone(route);
    }

    /** A change made by a human in the dashboard: arbitrary mutation, version + 1. */
    editRoute(id: string, mutate: (r: AlertRouteV2) => void): AlertRouteV2 {
        const existing = this.requireRoute(id);
        const draft = clone(existing);
        mutate(draft);
        draft.id = id;
        draft.version = existing.version + 1;
        draft.created_at = existing.created_at;
        draft.updated_at = new Date().toISOString();
        if (this.normalise) serverOrder(draft);
        else draft.expressions = sortExpressions(draft.expressions ?? []);
        this.routes.set(id, draft);
        return clone(draft);
    }

    deleteRoute(id: string): boolean {
        this.v3Only.delete(id);
        return this.routes.delete(id);
    }

    v3OnlySettings(id: string): V3OnlySettings {
        return { ...this.v3Only.get(id) };
    }

    /** Sets what only v3 can say, as a dashboard user on the v3 engine would: version + 1. */
    editV3Settings(id: string, settings: V3OnlySettings): AlertRouteV2 {
        const route = this.editRoute(id, () => undefined);
        this.v3Only.set(id, { ...settings });
        return route;
    }

    private requireRoute(id: string): AlertRouteV2 {
        const route = this.routes.get(id);
        if (!route) throw new Error(`no alert route with id ${id}`);
        return route;
    }

    // ------------------------------------------------------------ alert sources

    addAlertSource(seed: AlertSourceSeed): void {
        this.sources.set(seed.id, { ...seed });
    }

    /** Every source, ordered by id, as GET /v2/alert_sources lists them. */
    listAlertSources(): AlertSourceV2[] {
        return [...this.sources.keys()].sort().map((id) => this.getAlertSource(id)!);
    }

    getAlertSource(id: string): AlertSourceV2 | undefined {
        const seed = this.sources.get(id);
        if (!seed) return undefined;
        const source: AlertSourceV2 = {
            id: seed.id,
            name: seed.name,
            source_type: seed.source_type,
            template: {
                expressions: [],
                title: { literal: "x", label: "x" },
                description: { literal: "x", label: "x" },
                attributes: [],
                is_private: false,
            },
        };
        if (seed.secret_token !== undefined) source.secret_token = seed.secret_token;
        // Checkly posts to its source's URL too: "the unique URL created by installing the Checkly
        // integration in Incident.io" (checkly/checkly-cli constructs/incidentio-alert-channel.ts).
        if (["alertmanager", "http", "http_custom", "checkly"].includes(seed.source_type)) {
            source.alert_events_url = `https://api.incident.io/v2/alert_events/${seed.source_type}/${seed.id}`;
        }
        return source;
    }

    // ------------------------------------------------------------ managed resources

    upsertManagedResource(payload: ManagedResourcePayload): ManagedResourceV2 {
        const resource: ManagedResourceV2 = {
            resource_type: payload.resource_type,
            resource_id: payload.resource_id,
            annotations: { ...payload.annotations },
            managed_by: "external",
        };
        this.managed.set(`${payload.resource_type}\u0000${payload.resource_id}`, resource);
        return clone(resource);
    }

    listManagedResources(): ManagedResourceV2[] {
        return [...this.managed.values()].map(clone);
    }
}
