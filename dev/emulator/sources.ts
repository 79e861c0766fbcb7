// Alert sources as incident.io stores and answers them (AlertSourceV2), and the template checks its
// create, update and validate endpoints make. What the real API does, with the evidence:
//  - read-only fields: `id`, `secret_token`, `alert_events_url` (HTTP-like sources) and
//    `email_options.email_address` (email sources) are the server's (openapi AlertSourceV2; no
//    payload carries them); `source_type` is create-only (AlertSourcesUpdatePayloadV2 has none).
//  - rich-text literals: a `title`/`description` literal holding a JSON document is read back
//    re-encoded (terraform-provider-incident #242, #295, #347): here, with keys sorted, as Go's
//    encoding/json writes a decoded map.
//  - expressions come back in the server's own order (terraform-provider-incident #193): by label,
//    descending, as routes' expressions (shapes.ts sortExpressions).
//  - binding values carry a `label`, expressions `returns` (EngineParamBindingValueV2, ExpressionV2).
import { newUlid } from "./ids";
import { binding, bindingValue, expression, sortExpressions } from "./shapes";
import type { BindingPayload, BindingValuePayload, ExpressionPayload } from "./types";

export interface AlertTemplatePayload {
    title: BindingValuePayload;
    description: BindingValuePayload;
    attributes: Array<{ alert_attribute_id: string; binding: BindingPayload & { merge_strategy?: string } }>;
    expressions: ExpressionPayload[];
    is_private?: boolean;
    visible_to_teams?: BindingPayload;
}

/** AlertSourcesCreatePayloadV2 (the update payload is the same without source_type). */
export interface AlertSourcePayload {
    name: string;
    source_type: string;
    template: AlertTemplatePayload;
    owning_team_ids?: string[];
    auto_resolve_incident_alerts?: boolean;
    auto_resolve_timeout_minutes?: number;
    email_options?: { redactions: string[]; transform_expression?: string };
    heartbeat_options?: Record<string, unknown>;
    http_custom_options?: Record<string, unknown>;
    jira_options?: Record<string, unknown>;
}

/** Source types that receive events over HTTP, so have an alert events URL and a token. Checkly posts
 * to its source's URL too: "the unique URL created by installing the Checkly integration in
 * Incident.io" (checkly/checkly-cli constructs/incidentio-alert-channel.ts). */
const HTTP_TYPES = new Set(["alertmanager", "http", "http_custom", "checkly", "grafana", "datadog", "status_page_views", "sns", "sentry"]);

/** A minimal template, for seeds that give none: what the dashboard creates for a new source. */
export function defaultTemplate(): AlertTemplatePayload {
    const doc = (text: string) => JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
    return { title: { literal: doc("Alert") }, description: { literal: doc("") }, attributes: [], expressions: [], is_private: false };
}

export interface StoredSource {
    id: string;
    secret_token?: string;
    email_address?: string;
    payload: AlertSourcePayload;
}

/** What the server stores from a payload: literals re-encoded, expressions in its order (unless `asSent`). */
export function storedPayload(payload: AlertSourcePayload, asSent: boolean): AlertSourcePayload {
    const copy = structuredClone(payload);
    if (asSent) return copy;
    const t = copy.template;
    if (t) {
        for (const key of ["title", "description"] as const)
            if (t[key]?.literal !== undefined) t[key] = { ...t[key], literal: reencode(t[key].literal!) };
        if (Array.isArray(t.expressions)) t.expressions = sortExpressions(t.expressions);
    }
    return copy;
}

/** A JSON document re-encoded with sorted keys; any other text as it is. */
export function reencode(literal: string): string {
    try {
        const parsed: unknown = JSON.parse(literal);
        if (parsed === null || typeof parsed !== "object") return literal;
        return JSON.stringify(sortKeys(parsed));
    } catch {
        return literal;
    }
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
        Object.keys(value)
            .sort()
            .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
}

export function newStoredSource(payload: AlertSourcePayload, opts: { id?: string; secret_token?: string; asSent: boolean }): StoredSource {
    const id = opts.id ?? newUlid();
    const stored: StoredSource = { id, payload: storedPayload(payload, opts.asSent) };
    if (HTTP_TYPES.has(payload.source_type)) stored.secret_token = opts.secret_token ?? `emulated-token-${newUlid().toLowerCase()}`;
    if (payload.source_type === "email") stored.email_address = `alerts-${id.toLowerCase()}@incident-io.emulated.invalid`;
    return stored;
}

/** AlertSourceV2 as GET/PUT/POST answer it. */
export function sourceAnswer(s: StoredSource): Record<string, unknown> {
    const p = s.payload;
    const t = p.template;
    const out: Record<string, unknown> = {
        id: s.id,
        name: p.name,
        source_type: p.source_type,
        template: {
            title: bindingValue(t.title ?? {}),
            description: bindingValue(t.description ?? {}),
            attributes: (t.attributes ?? []).map((a) => {
                const { merge_strategy, ...rest } = a.binding ?? {};
                return {
                    alert_attribute_id: a.alert_attribute_id,
                    binding: { ...binding(rest), ...(merge_strategy ? { merge_strategy } : {}) },
                };
            }),
            expressions: (t.expressions ?? []).map(expression),
            is_private: t.is_private ?? false,
            ...(t.visible_to_teams ? { visible_to_teams: binding(t.visible_to_teams) } : {}),
        },
        owning_team_ids: p.owning_team_ids ?? [],
    };
    for (const key of [
        "auto_resolve_incident_alerts",
        "auto_resolve_timeout_minutes",
        "heartbeat_options",
        "http_custom_options",
        "jira_options",
    ] as const) {
        if (p[key] !== undefined) out[key] = structuredClone(p[key]);
    }
    if (p.email_options || s.email_address)
        out.email_options = { redactions: [], ...p.email_options, ...(s.email_address ? { email_address: s.email_address } : {}) };
    if (s.secret_token !== undefined) out.secret_token = s.secret_token;
    if (HTTP_TYPES.has(p.source_type)) out.alert_events_url = `https://api.incident.io/v2/alert_events/${p.source_type}/${s.id}`;
    return out;
}

/** The checks a create, update or validate makes beyond the schema: attributes must exist, and a
 * binding's `expressions["x"]`-style reference must name one of the template's expressions
 * (openapi, Alert Sources V2#Validate: "expressions are compiled and checked against your alert
 * schema"). Returns the API's errors (field, message), empty when valid. */
export function templateProblems(template: AlertTemplatePayload, attributeIds: Set<string>): Array<{ field: string; message: string }> {
    const problems: Array<{ field: string; message: string }> = [];
    const expressionRefs = new Set((template.expressions ?? []).map((e) => e.reference));
    const checkRef = (value: BindingValuePayload | undefined, field: string) => {
        const ref = value?.reference;
        const named = ref ? (/^expressions\["([^"]+)"\]$/.exec(ref)?.[1] ?? /^expressions\.([A-Za-z0-9_-]+)$/.exec(ref)?.[1]) : undefined;
        if (named !== undefined && !expressionRefs.has(named))
            problems.push({ field, message: `refers to expression "${named}", which the template does not define` });
    };
    checkRef(template.title, "template.title");
    checkRef(template.description, "template.description");
    (template.attributes ?? []).forEach((a, i) => {
        const field = `template.attributes[${i}]`;
        if (!attributeIds.has(a.alert_attribute_id))
            problems.push({ field: `${field}.alert_attribute_id`, message: `no alert attribute with id ${a.alert_attribute_id}` });
        checkRef(a.binding?.value, `${field}.binding.value`);
        (a.binding?.array_value ?? []).forEach((v, j) => checkRef(v, `${field}.binding.array_value[${j}]`));
    });
    return problems;
}
