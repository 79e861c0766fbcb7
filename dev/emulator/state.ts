// The emulator's in-memory world: alert routes, alert sources, managed resources.
// All operations are synchronous, so each request applies atomically.
import { newUlid } from "./ids";
import { normaliseStoredRoute, serverOrder, type NormaliseOptions } from "./normalise";
import { routeFromPayload, sortExpressions } from "./shapes";
import { defaultTemplate, newStoredSource, sourceAnswer, storedPayload, type AlertSourcePayload, type StoredSource } from "./sources";
import type { AlertRouteV2, AlertSourceV2, CreatePayload, ManagedResourcePayload, ManagedResourceV2 } from "./types";
import type { V3OnlySettings } from "./v3";

/** A source as made in the dashboard: the create payload's fields (a default template when left
 * out), its id and, for HTTP-like sources, its token. */
export type AlertSourceSeed = Partial<Omit<AlertSourcePayload, "name" | "source_type">> & {
    id: string;
    name: string;
    source_type: string;
    secret_token?: string;
};

const clone = <T>(value: T): T => structuredClone(value);

export class EmulatorState {
    private readonly routes = new Map<string, AlertRouteV2>();
    private readonly sources = new Map<string, StoredSource>();
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
        const { id, secret_token, ...fields } = seed;
        const payload: AlertSourcePayload = { ...fields, template: fields.template ?? defaultTemplate() };
        this.sources.set(id, newStoredSource(payload, { id, secret_token, asSent: !this.normalise }));
    }

    /** Every source, ordered by id, as GET /v2/alert_sources lists them. */
    listAlertSources(): AlertSourceV2[] {
        return [...this.sources.keys()].sort().map((id) => this.getAlertSource(id)!);
    }

    getAlertSource(id: string): AlertSourceV2 | undefined {
        const stored = this.sources.get(id);
        return stored && (sourceAnswer(stored) as unknown as AlertSourceV2);
    }

    createAlertSource(payload: AlertSourcePayload): AlertSourceV2 {
        const stored = newStoredSource(payload, { asSent: !this.normalise });
        this.sources.set(stored.id, stored);
        return this.getAlertSource(stored.id)!;
    }

    /** PUT: the payload replaces the source's fields; its type, token, URL and email address stay. */
    replaceAlertSource(id: string, payload: Omit<AlertSourcePayload, "source_type">): AlertSourceV2 | undefined {
        const stored = this.sources.get(id);
        if (!stored) return undefined;
        stored.payload = storedPayload({ ...payload, source_type: stored.payload.source_type }, !this.normalise);
        return this.getAlertSource(id);
    }

    /** A change made in the dashboard: `mutate` edits the stored payload (as the API would store it). */
    editAlertSource(id: string, mutate: (payload: AlertSourcePayload) => void): AlertSourceV2 {
        const stored = this.sources.get(id);
        if (!stored) throw new Error(`no alert source with id ${id}`);
        const draft = structuredClone(stored.payload);
        mutate(draft);
        stored.payload = storedPayload({ ...draft, source_type: stored.payload.source_type }, !this.normalise);
        return this.getAlertSource(id)!;
    }

    deleteAlertSource(id: string): boolean {
        return this.sources.delete(id);
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

    deleteManagedResource(resourceType: string, resourceId: string): boolean {
        return this.managed.delete(`${resourceType}\u0000${resourceId}`);
    }

    listManagedResources(): ManagedResourceV2[] {
        return [...this.managed.values()].map(clone);
    }
}
