// The model layer between incident.io's AlertSourceV2 and the AlertSource resource's payload shape:
// `fromSourceResponse` (answer → payload shape), `sourceToPayload` (what operators paste → payload),
// `withSourceDefaults`, and the canonical form comparisons use. Each rule that absorbs a difference
// between what was sent and what the API reads back is here, with its evidence:
//  1. read-only fields       SOURCE_SHAPE keeps payload fields only: `id`, `secret_token`,
//                            `alert_events_url`, `email_options.email_address`, binding `label`s and
//                            expression `returns` are answer-only (openapi AlertSourceV2 vs
//                            AlertSourcesCreatePayloadV2). The token never enters the live form.
//  2. rich-text literals     a template `title`/`description` literal is a JSON document the API
//                            reads back re-encoded (terraform-provider-incident issues #242, #295,
//                            #347: perpetual diffs): literals that parse as JSON compare as parsed JSON.
//  3. expressions            come back in the API's own order (terraform-provider-incident #193): a
//                            set keyed by `reference` (unique within a template).
//  4. attribute bindings     one per attribute (keyed by alert_attribute_id): their order carries no meaning.
//  5. server defaults        `is_private` false, `owning_team_ids` [] when left out.
import { BINDING, EXPRESSION, LEAF, prune, stableJson, type Json, type JsonObject, type Shape } from "./model";
import type { AlertSourceResponse, AlertSourceSpec, AlertTemplate } from "./types";

export const SOURCE_FIELDS = [
    "name",
    "source_type",
    "template",
    "owning_team_ids",
    "auto_resolve_incident_alerts",
    "auto_resolve_timeout_minutes",
    "email_options",
    "heartbeat_options",
    "http_custom_options",
    "jira_options",
] as const satisfies readonly (keyof AlertSourceSpec)[];

const VALUE = { literal: LEAF, reference: LEAF } as const;

/** AlertSourcesCreatePayloadV2, key for key; anything else in an answer is dropped. */
export const SOURCE_SHAPE = {
    name: LEAF,
    source_type: LEAF,
    template: {
        title: VALUE,
        description: VALUE,
        attributes: [{ alert_attribute_id: LEAF, binding: { ...BINDING, merge_strategy: LEAF } }],
        expressions: [EXPRESSION],
        is_private: LEAF,
        visible_to_teams: BINDING,
    },
    owning_team_ids: [LEAF],
    auto_resolve_incident_alerts: LEAF,
    auto_resolve_timeout_minutes: LEAF,
    email_options: { redactions: [LEAF], transform_expression: LEAF },
    heartbeat_options: { interval_seconds: LEAF, failure_threshold: LEAF, grace_period_seconds: LEAF },
    http_custom_options: { transform_expression: LEAF, deduplication_key_path: LEAF },
    jira_options: { project_ids: [LEAF] },
} as const satisfies Record<(typeof SOURCE_FIELDS)[number], Shape>;

/** Fields of an API answer that are not part of the definition, and why each is dropped. */
export const SOURCE_READ_ONLY = ["id", "secret_token", "alert_events_url"] as const;

export function pickSourceSpec(value: object): AlertSourceSpec {
    const v = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const field of SOURCE_FIELDS) if (v[field] !== undefined && v[field] !== null) out[field] = v[field];
    return out as unknown as AlertSourceSpec;
}

/** What operators paste (an API answer, a backup) → the payload shape: answer-only decorations dropped.
 * Unknown top-level fields, `id` and `secret_token` stay, so `validateSource` names them. */
export function sourceToPayload(raw: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key === "alert_events_url") continue;
        const shape = (SOURCE_SHAPE as Record<string, Shape>)[key];
        out[key] = shape === undefined ? value : prune(value as Json, shape, key);
    }
    return out;
}

/** The API's answer (or a spec) in the payload shape. With `planned`, what is the same by meaning is
 * kept in the planned spelling (a re-encoded literal, reordered expressions), so outputs show what was written. */
export function fromSourceResponse(remote: AlertSourceResponse | AlertSourceSpec, planned?: AlertSourceSpec): AlertSourceSpec {
    const spec = pickSourceSpec(prune(pickSourceSpec(remote) as unknown as Json, SOURCE_SHAPE as unknown as Shape) as JsonObject);
    if (!planned?.template || !spec.template) return spec;
    const template: AlertTemplate = { ...spec.template };
    for (const key of ["title", "description"] as const) {
        if (stableJson(canonicalValue(template[key])) === stableJson(canonicalValue(planned.template[key])))
            template[key] = planned.template[key];
    }
    for (const key of ["expressions", "attributes"] as const) {
        const ours = planned.template[key];
        if (ours && stableJson(canonicalTemplate({ ...template, [key]: ours })[key]) === stableJson(canonicalTemplate(template)[key])) {
            (template as unknown as Record<string, unknown>)[key] = ours;
        }
    }
    return { ...spec, template };
}

export function withSourceDefaults(spec: AlertSourceSpec): AlertSourceSpec {
    const template = { ...spec.template, is_private: spec.template?.is_private ?? false };
    return { ...spec, template, owning_team_ids: spec.owning_team_ids ?? [] };
}

/** The form both sides are compared in. */
export function canonicalSource(spec: AlertSourceSpec): AlertSourceSpec {
    const filled = withSourceDefaults(pickSourceSpec(spec));
    const out: AlertSourceSpec = { ...filled, template: canonicalTemplate(filled.template) };
    out.owning_team_ids = [...(filled.owning_team_ids ?? [])].sort();
    if (filled.email_options)
        out.email_options = { ...filled.email_options, redactions: [...(filled.email_options.redactions ?? [])].sort() };
    return out;
}

function canonicalTemplate(template: AlertTemplate): AlertTemplate {
    if (!template || typeof template !== "object") return template;
    const out: AlertTemplate = { ...template, title: canonicalValue(template.title), description: canonicalValue(template.description) };
    if (Array.isArray(template.expressions))
        out.expressions = [...template.expressions].sort((a, b) => compare(a?.reference, b?.reference));
    if (Array.isArray(template.attributes)) {
        out.attributes = [...template.attributes].sort((a, b) => compare(a?.alert_attribute_id, b?.alert_attribute_id));
    }
    return out;
}

/** A binding value whose literal is a JSON document compares as that document (rule 2). */
function canonicalValue<T extends { literal?: string } | undefined>(value: T): T {
    if (!value || typeof value.literal !== "string") return value;
    const parsed = parseDocument(value.literal);
    return parsed === undefined ? value : { ...value, literal: stableJson(parsed) };
}

/** The literal's JSON document, when it is one (an object or array); plain text stays text. */
export function parseDocument(literal: string): unknown {
    const text = literal.trim();
    if (!text.startsWith("{") && !text.startsWith("[")) return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** Top-level fields whose canonical forms differ, in payload order. */
export function sourceChangedFields(a: AlertSourceSpec, b: AlertSourceSpec): string[] {
    const ca = canonicalSource(a) as unknown as Record<string, unknown>;
    const cb = canonicalSource(b) as unknown as Record<string, unknown>;
    return SOURCE_FIELDS.filter((f) => stableJson(ca[f]) !== stableJson(cb[f]));
}

export function sameSource(a: AlertSourceSpec, b: AlertSourceSpec): boolean {
    return sourceChangedFields(a, b).length === 0;
}

/** The update payload: the spec without `source_type` (AlertSourcesUpdatePayloadV2 has none). */
export function sourceUpdatePayload(spec: AlertSourceSpec): Omit<AlertSourceSpec, "source_type"> {
    const { source_type: _createOnly, ...rest } = spec;
    return rest;
}

function compare(a: string | undefined, b: string | undefined): number {
    return (a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0;
}
