// The incident.io endpoints the emulator implements, as plain functions from a
// parsed request to a Reply. Transport concerns (auth, faults, latency) live in server.ts.
import {
    attributeAnswer,
    listAlertAttributes,
    listAlertSources,
    listEscalationPaths,
    type AlertAttributeSeed,
    type Catalogue,
} from "./catalogue";
import { templateProblems, type AlertSourcePayload, type AlertTemplatePayload } from "./sources";
import { errorReply, json, notFound, validationFailed, type Reply } from "./replies";
import { slimRoute } from "./shapes";
import type { EmulatorState } from "./state";
import type { CreatePayload, ManagedResourcePayload, UpdatePayload } from "./types";
import { validatePayload } from "./validation";
import { notYetAvailable, v3View, type V3Mode } from "./v3";

export interface ApiRequest {
    method: string;
    path: string;
    query: URLSearchParams;
    body: unknown;
}

export interface ApiContext {
    state: EmulatorState;
    catalogue: Catalogue;
    validate: boolean;
    /** EmulatorOptions.rejectUnknownFields. */
    rejectUnknownFields: boolean;
    /** EmulatorOptions.v3. */
    v3: V3Mode;
}

type Handler = (ctx: ApiContext, req: ApiRequest, params: string[]) => Reply;

interface Route {
    method: string;
    pattern: RegExp;
    handler: Handler;
}

const ID = "([^/]+)";

const ROUTES: Route[] = [
    { method: "GET", pattern: /^\/v2\/alert_routes\/?$/, handler: listAlertRoutes },
    { method: "POST", pattern: /^\/v2\/alert_routes\/?$/, handler: createAlertRoute },
    { method: "GET", pattern: new RegExp(`^/v2/alert_routes/${ID}$`), handler: showAlertRoute },
    { method: "PUT", pattern: new RegExp(`^/v2/alert_routes/${ID}$`), handler: updateAlertRoute },
    { method: "DELETE", pattern: new RegExp(`^/v2/alert_routes/${ID}$`), handler: deleteAlertRoute },
    { method: "GET", pattern: new RegExp(`^/v3/alert_routes/${ID}$`), handler: showAlertRouteV3 },
    { method: "GET", pattern: /^\/v2\/alert_sources\/?$/, handler: (ctx) => listAlertSources(ctx.state) },
    { method: "POST", pattern: /^\/v2\/alert_sources\/?$/, handler: createAlertSource },
    { method: "POST", pattern: /^\/v2\/alert_sources\/actions\/validate$/, handler: validateAlertSource },
    { method: "GET", pattern: new RegExp(`^/v2/alert_sources/${ID}$`), handler: showAlertSource },
    { method: "PUT", pattern: new RegExp(`^/v2/alert_sources/${ID}$`), handler: updateAlertSource },
    { method: "DELETE", pattern: new RegExp(`^/v2/alert_sources/${ID}$`), handler: deleteAlertSource },
    { method: "GET", pattern: /^\/v2\/alert_attributes\/?$/, handler: (ctx) => listAlertAttributes(ctx.catalogue) },
    { method: "POST", pattern: /^\/v2\/alert_attributes\/?$/, handler: createAlertAttribute },
    { method: "GET", pattern: new RegExp(`^/v2/alert_attributes/${ID}$`), handler: showAlertAttribute },
    { method: "PUT", pattern: new RegExp(`^/v2/alert_attributes/${ID}$`), handler: updateAlertAttribute },
    { method: "DELETE", pattern: new RegExp(`^/v2/alert_attributes/${ID}$`), handler: deleteAlertAttribute },
    { method: "GET", pattern: /^\/v2\/escalation_paths\/?$/, handler: (ctx, req) => listEscalationPaths(ctx.catalogue, req.query) },
    { method: "POST", pattern: /^\/v2\/managed_resources\/?$/, handler: createManagedResource },
];

export function dispatch(ctx: ApiContext, req: ApiRequest): Reply {
    for (const route of ROUTES) {
        if (route.method !== req.method) continue;
        const match = route.pattern.exec(req.path);
        if (match) return route.handler(ctx, req, match.slice(1).map(decodeURIComponent));
    }
    return notFound(`No route for ${req.method} ${req.path}`);
}

/** The route id in /v2/alert_routes/{id}, if the path is one. */
export function alertRouteIdOf(path: string): string | undefined {
    const match = /^\/v2\/alert_routes\/([^/]+)$/.exec(path);
    return match ? decodeURIComponent(match[1]) : undefined;
}

function checkBody(ctx: ApiContext, schema: string, body: unknown): Reply | undefined {
    if (!ctx.validate) return undefined;
    const problems = validatePayload(schema, body, { rejectUnknownFields: ctx.rejectUnknownFields });
    if (problems.length === 0) return undefined;
    return validationFailed(
        problems.map((p) =>
            p.field ? { code: p.code, message: p.message, source: { field: p.field } } : { code: p.code, message: p.message },
        ),
    );
}

// ------------------------------------------------------------------ alert routes

const PAGE_SIZE_DEFAULT = 25;
const PAGE_SIZE_MAX = 50;

function listAlertRoutes(ctx: ApiContext, req: ApiRequest): Reply {
    const rawSize = req.query.get("page_size");
    let pageSize = PAGE_SIZE_DEFAULT;
    if (rawSize !== null && rawSize !== "") {
        pageSize = Number(rawSize);
        if (!/^-?\d+$/.test(rawSize) || pageSize < 1 || pageSize > PAGE_SIZE_MAX) {
            return errorReply(
                422,
                "validation_error",
                "invalid_value",
                `page_size must be an integer between 1 and ${PAGE_SIZE_MAX}`,
                "page_size",
            );
        }
    }
    const after = req.query.get("after") || undefined;
    const remaining = ctx.state.listRoutes().filter((r) => after === undefined || r.id > after);
    const page = remaining.slice(0, pageSize);
    const pagination_meta: { after?: string; page_size: number } = { page_size: pageSize };
    if (remaining.length > page.length) pagination_meta.after = page[page.length - 1].id;
    return json(200, { alert_routes: page.map(slimRoute), pagination_meta });
}

function showAlertRoute(ctx: ApiContext, _req: ApiRequest, [id]: string[]): Reply {
    const route = ctx.state.getRoute(id);
    return route ? json(200, { alert_route: route }) : notFound(`Alert route ${id} not found`);
}

function showAlertRouteV3(ctx: ApiContext, _req: ApiRequest, [id]: string[]): Reply {
    if (ctx.v3 === "not_migrated") return notYetAvailable();
    const route = ctx.state.getRoute(id);
    return route ? json(200, { alert_route: v3View(route, ctx.state.v3OnlySettings(id)) }) : notFound(`Alert route ${id} not found`);
}

function createAlertRoute(ctx: ApiContext, req: ApiRequest): Reply {
    const invalid = checkBody(ctx, "AlertRoutesCreatePayloadV2", req.body);
    if (invalid) return invalid;
    const route = ctx.state.createRoute(req.body as CreatePayload);
    return json(201, { alert_route: route });
}

function updateAlertRoute(ctx: ApiContext, req: ApiRequest, [id]: string[]): Reply {
    const invalid = checkBody(ctx, "AlertRoutesUpdatePayloadV2", req.body);
    if (invalid) return invalid;
    const existing = ctx.state.getRoute(id);
    if (!existing) return notFound(`Alert route ${id} not found`);
    const payload = req.body as UpdatePayload;
    if (payload?.version !== existing.version + 1) {
        return errorReply(
            422,
            "validation_error",
            "invalid_value",
            `version must be exactly one greater than the current version (${existing.version})`,
            "version",
        );
    }
    const { version, ...rest } = payload;
    return json(200, { alert_route: ctx.state.replaceRoute(id, rest, version) });
}

function deleteAlertRoute(ctx: ApiContext, _req: ApiRequest, [id]: string[]): Reply {
    return ctx.state.deleteRoute(id) ? { status: 204 } : notFound(`Alert route ${id} not found`);
}

// ------------------------------------------------------------------ alert sources

function showAlertSource(ctx: ApiContext, _req: ApiRequest, [id]: string[]): Reply {
    const source = ctx.state.getAlertSource(id);
    return source ? json(200, { alert_source: source }) : notFound(`Alert source ${id} not found`);
}

/** The template checks a create, update and validate share (sources.ts templateProblems). */
function invalidTemplate(ctx: ApiContext, body: unknown): Reply | undefined {
    const template = (body as { template?: AlertTemplatePayload } | undefined)?.template;
    if (!template) return undefined;
    const ids = new Set(ctx.catalogue.listAlertAttributes().map((a) => a.id));
    const problems = templateProblems(template, ids);
    return problems.length
        ? validationFailed(problems.map((p) => ({ code: "invalid_value", message: p.message, source: { field: p.field } })))
        : undefined;
}

/** Answers 200, not 201 (openapi: Alert Sources V2#Create). */
function createAlertSource(ctx: ApiContext, req: ApiRequest): Reply {
    const invalid = checkBody(ctx, "AlertSourcesCreatePayloadV2", req.body) ?? invalidTemplate(ctx, req.body);
    if (invalid) return invalid;
    return json(200, { alert_source: ctx.state.createAlertSource(req.body as AlertSourcePayload) });
}

function updateAlertSource(ctx: ApiContext, req: ApiRequest, [id]: string[]): Reply {
    const invalid = checkBody(ctx, "AlertSourcesUpdatePayloadV2", req.body) ?? invalidTemplate(ctx, req.body);
    if (invalid) return invalid;
    const source = ctx.state.replaceAlertSource(id, req.body as AlertSourcePayload);
    return source ? json(200, { alert_source: source }) : notFound(`Alert source ${id} not found`);
}

function deleteAlertSource(ctx: ApiContext, _req: ApiRequest, [id]: string[]): Reply {
    return ctx.state.deleteAlertSource(id) ? { status: 204 } : notFound(`Alert source ${id} not found`);
}

/** 204 when the template is valid: nothing is created or changed (openapi: Alert Sources V2#Validate). */
function validateAlertSource(ctx: ApiContext, req: ApiRequest): Reply {
    return checkBody(ctx, "AlertSourcesValidatePayloadV2", req.body) ?? invalidTemplate(ctx, req.body) ?? { status: 204 };
}

// ------------------------------------------------------------------ alert attributes

function showAlertAttribute(ctx: ApiContext, _req: ApiRequest, [id]: string[]): Reply {
    const attribute = ctx.catalogue.getAlertAttribute(id);
    return attribute ? json(200, { alert_attribute: attributeAnswer(attribute) }) : notFound(`Alert attribute ${id} not found`);
}

function createAlertAttribute(ctx: ApiContext, req: ApiRequest): Reply {
    const invalid = checkBody(ctx, "AlertAttributesCreatePayloadV2", req.body);
    if (invalid) return invalid;
    return json(201, { alert_attribute: attributeAnswer(ctx.catalogue.createAlertAttribute(req.body as AlertAttributeSeed)) });
}

function updateAlertAttribute(ctx: ApiContext, req: ApiRequest, [id]: string[]): Reply {
    const invalid = checkBody(ctx, "AlertAttributesUpdatePayloadV2", req.body);
    if (invalid) return invalid;
    const attribute = ctx.catalogue.updateAlertAttribute(id, req.body as AlertAttributeSeed);
    return attribute ? json(200, { alert_attribute: attributeAnswer(attribute) }) : notFound(`Alert attribute ${id} not found`);
}

function deleteAlertAttribute(ctx: ApiContext, _req: ApiRequest, [id]: string[]): Reply {
    return ctx.catalogue.deleteAlertAttribute(id) ? { status: 204 } : notFound(`Alert attribute ${id} not found`);
}

// ------------------------------------------------------------------ managed resources

function createManagedResource(ctx: ApiContext, req: ApiRequest): Reply {
    const invalid = checkBody(ctx, "ManagedResourcesCreateManagedResourcePayloadV2", req.body);
    if (invalid) return invalid;
    return json(200, { managed_resource: ctx.state.upsertManagedResource(req.body as ManagedResourcePayload) });
}
