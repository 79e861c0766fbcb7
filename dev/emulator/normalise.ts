// What the real incident.io API does to a route it stores, beyond adding labels and `returns`
// (shapes.ts). Evidence: incident-io/terraform-provider-incident, incident.io's own provider, which
// had to absorb each of these (the provider's rules live in providers/incident-io/model.ts).
// On by default; `EmulatorOptions.echoAsSent` turns it off for tests that need the plain echo.
import { createHash } from "node:crypto";
import type { AlertRouteV2, BindingV2, ConditionV2 } from "./types";

/**
 * Fields standing for ones incident.io adds over time: answers carry them, payloads may not (the
 * request schemas are closed), and a client must neither diff on them nor store them.
 */
export const FUTURE_FIELDS = {
    /** top level of every route */
    route: { routing_insights: { alerts_routed_last_7_days: 0, noisy: false } },
    /** inside every alert_sources[] item */
    alertSource: { source_health: "healthy" },
    /** inside every escalation_config */
    escalationConfig: { escalation_priority: "default" },
} as const;

export interface NormaliseOptions {
    /** Alert attribute ids whose type is a catalog entry; every other attribute is text. */
    catalogAttributeIds: ReadonlySet<string>;
}

/** Applies the API's normalisations to a freshly stored route, in place. */
export function normaliseStoredRoute(route: AlertRouteV2, opts: NormaliseOptions): AlertRouteV2 {
    renameAliases(route, opts);
    dropUnansweredOptions(route);
    echoEmptyTeamsTarget(route);
    echoEscalationPathsAsUsers(route);
    fillServerDefaults(route);
    reencodeJsonLiterals(route);
    serverOrder(route);
    Object.assign(route, structuredClone(FUTURE_FIELDS.route));
    for (const source of route.alert_sources) Object.assign(source, structuredClone(FUTURE_FIELDS.alertSource));
    Object.assign(route.escalation_config, structuredClone(FUTURE_FIELDS.escalationConfig));
    return route;
}

/**
 * `one_of` on a String, Link or TemplatedText subject is stored as `contains_one_of`; `contains` on
 * a catalog subject as `name_contains` (terraform-provider-incident models/engine.go
 * serverOperationNormalisations, issue #403 / PR #454). Text subjects here: the alert's title and
 * description and every alert attribute not listed as catalog-typed. On the other subject types
 * both names are canonical and stay.
 */
const TEXT_SUBJECTS = new Set(["alert.title", "alert.description"]);

function renameAliases(route: AlertRouteV2, opts: NormaliseOptions): void {
    for (const condition of conditionsIn(route)) {
        const attribute = /^alert\.attributes\.([^.]+)$/.exec(condition.subject.reference)?.[1];
        const catalog = attribute !== undefined && opts.catalogAttributeIds.has(attribute);
        const text = (attribute !== undefined && !catalog) || TEXT_SUBJECTS.has(condition.subject.reference);
        const op = condition.operation.value;
        if (op === "one_of" && text) condition.operation = { label: "Contains one of", value: "contains_one_of" };
        if (op === "contains" && catalog) condition.operation = { label: "Name contains", value: "name_contains" };
    }
}

/** Every condition anywhere in the route (route, sources, channels, incident config, expressions). */
function conditionsIn(value: unknown, out: ConditionV2[] = []): ConditionV2[] {
    if (Array.isArray(value)) {
        for (const item of value) conditionsIn(item, out);
    } else if (value && typeof value === "object") {
        const v = value as Record<string, unknown>;
        const subject = v.subject as { reference?: unknown } | undefined;
        const operation = v.operation as { value?: unknown } | undefined;
        if (typeof subject?.reference === "string" && typeof operation?.value === "string") out.push(v as unknown as ConditionV2);
        for (const child of Object.values(v)) conditionsIn(child, out);
    }
    return out;
}

/**
 * Expression operations' `cast` and `concatenate` options are accepted but not answered:
 * ExpressionOperationV2 (openapi.json) has neither, while ExpressionOperationPayloadV2 takes both,
 * and incident.io's own v2 model (terraform-provider-incident models/engine.go) reads only
 * branches, filter, navigate and parse. The operation_type stays; a cast's type survives as the
 * operation's `returns`, which ExpressionOperationV2 requires (shapes.ts sets it).
 */
function dropUnansweredOptions(route: AlertRouteV2): void {
    for (const expression of route.expressions) {
        for (const op of expression.operations) {
            delete op.cast;
            delete op.concatenate;
        }
    }
}

/**
 * A channel config with Slack targets only came back with an empty `ms_teams_targets` (Go's zero
 * value) rather than none: terraform-provider-incident issue #174, commit cc9eef5 ("the API
 * misbehaving and serializing an empty rather than null target"). Routes stored then answer so.
 */
function echoEmptyTeamsTarget(route: AlertRouteV2): void {
    for (const channel of route.channel_config) {
        if (channel.slack_targets && !channel.ms_teams_targets) channel.ms_teams_targets = { binding: {}, channel_visibility: "" };
    }
}

/** An escalation-path target comes back with the same binding under `users` too
 * (terraform-provider-incident CHANGELOG v5.44.1: "for legacy compatibility"). */
function echoEscalationPathsAsUsers(route: AlertRouteV2): void {
    for (const target of route.escalation_config.escalation_targets) {
        if (target.escalation_paths && !target.users) target.users = structuredClone(target.escalation_paths) as BindingV2;
    }
}

/**
 * A literal holding a JSON object or array (rich-text templates, message templates) is stored
 * re-encoded as Go's encoding/json writes it: keys sorted, no whitespace, `<`, `>`, `&`, U+2028 and
 * U+2029 escaped (terraform-provider-incident CHANGELOG v5.39.0, jsontypes/normalized_json_or_string.go,
 * their issue #242). Other literals are kept as sent.
 */
function reencodeJsonLiterals(value: unknown): void {
    if (Array.isArray(value)) {
        for (const item of value) reencodeJsonLiterals(item);
        return;
    }
    if (!value || typeof value !== "object") return;
    const node = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(node)) {
        if (key === "literal" && typeof child === "string") node[key] = goJsonEncoding(child);
        else reencodeJsonLiterals(child);
    }
}

function goJsonEncoding(literal: string): string {
    const trimmed = literal.trim();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return literal;
    let parsed: unknown;
    try {
        parsed = JSON.parse(trimmed);
    } catch {
        return literal;
    }
    const sorted = JSON.stringify(parsed, (_k, v: unknown) =>
        v && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(
                  Object.keys(v)
                      .sort()
                      .map((k) => [k, (v as Record<string, unknown>)[k]]),
              )
            : v,
    );
    return sorted
        .replace(/</g, "\\u003c")
        .replace(/>/g, "\\u003e")
        .replace(/&/g, "\\u0026")
        .replace(/\u2028/g, "\\u2028")
        .replace(/\u2029/g, "\\u2029");
}

/** Left out, the server fills them (severity and auto_relate_grouped_alerts are Optional+Computed
 * in incident.io's provider; severity's default strategy is first-wins). */
function fillServerDefaults(route: AlertRouteV2): void {
    route.incident_template.severity ??= { merge_strategy: "first-wins" };
    route.incident_config.auto_relate_grouped_alerts ??= false;
}

/**
 * Set-like lists come back in the server's own order, which has nothing to do with the order sent
 * (incident.io's provider models them as sets; CHANGELOG v5.21.1 for expressions). Deterministic
 * here (by a hash of route id and item) so two reads of one route agree.
 */
export function serverOrder(route: AlertRouteV2): void {
    const byHash = <T>(items: T[]): T[] => {
        const ordered = items
            .map((item) => ({ item, h: createHash("sha1").update(route.id).update(JSON.stringify(item)).digest("hex") }))
            .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
            .map(({ item }) => item);
        // Never the order sent, so a client that depends on it fails every time, not 1 run in n!.
        return ordered.every((item, i) => item === items[i]) ? [...ordered.slice(1), ...ordered.slice(0, 1)] : ordered;
    };
    route.alert_sources = byHash(route.alert_sources);
    route.channel_config = byHash(route.channel_config);
    route.expressions = byHash(route.expressions);
    route.escalation_config.escalation_targets = byHash(route.escalation_config.escalation_targets);
    // Also sets in incident.io's provider (incident_alert_route_resource.go): grouping_keys,
    // custom_fields and owning_team_ids come back in the server's order too.
    route.incident_config.grouping_keys = byHash(route.incident_config.grouping_keys ?? []);
    if (route.incident_template.custom_fields) route.incident_template.custom_fields = byHash(route.incident_template.custom_fields);
    route.owning_team_ids = byHash(route.owning_team_ids ?? []);
}
