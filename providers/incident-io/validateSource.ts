// `check` for alert sources and alert attributes: every problem, each with its property path and a
// fix, before any API call. Pulumi's unknowns are accepted anywhere. Shared checks (bindings,
// expressions, ids) are the route validator's.
import type { CheckFailure } from "../core";
import { isUnknown } from "../core";
import { parseDocument, SOURCE_FIELDS } from "./alertSourceModel";
import { ATTRIBUTE_FIELDS } from "./alertAttributeModel";
import { idProblem } from "./ids";
import { MAX_NAME_LENGTH, Validator } from "./validate";

/** AlertSourceV2.source_type's enum (openapi.json, components.schemas.AlertSourceV2). */
export const SOURCE_TYPES = [
    "alertmanager", "app_optics", "azure_monitor", "big_panda", "bugsnag", "checkly", "chronosphere", "cloudwatch", "cloudflare",
    "coralogix", "cronitor", "crowdstrike_falcon", "dash0", "datadog", "dynatrace", "elasticsearch", "email", "expel", "github_issue",
    "google_cloud", "grafana", "heartbeat", "http", "http_custom", "honeycomb", "incoming_calls", "jira", "jsm", "monte_carlo", "nagios",
    "new_relic", "opsgenie", "prtg", "pager_duty", "panther", "pingdom", "runscope", "sns", "sentry", "sentry_metric", "service_now",
    "splunk", "status_cake", "status_page_views", "sumo_logic", "uptime", "vercel", "wiz", "zendesk",
] as const; // prettier-ignore

/** AlertTemplateAttributeBindingPayloadV2.merge_strategy's enum. */
const MERGE_STRATEGIES = ["first_wins", "last_wins", "append", "max", "min"];
const EMAIL_REDACTIONS = ["credit_card_numbers", "us_social_security_numbers", "phone_numbers"];
const OPTIONS_OF_TYPE: Record<string, string> = {
    email_options: "email",
    heartbeat_options: "heartbeat",
    http_custom_options: "http_custom",
    jira_options: "jira",
};

export function validateSource(inputs: Record<string, unknown>): CheckFailure[] {
    const v = new Validator();
    for (const key of Object.keys(inputs)) {
        if (key === "id") {
            v.fail(
                key,
                `is the id of an existing source in incident.io, which a definition does not carry: remove it, or, to take that live source under management, write adoptId: ${JSON.stringify(inputs.id)} instead`,
            );
        } else if (key === "secret_token") {
            // Never echo it: the failure is printed by the CLI.
            v.fail(
                key,
                "is the source's secret token: read-only (no payload carries it) and secret; remove it from the definition. The resource's secret_token output holds it.",
            );
        } else if (!(SOURCE_FIELDS as readonly string[]).includes(key) && key !== "adoptId") {
            v.fail(key, `unknown field "${key}"; an alert source takes ${SOURCE_FIELDS.join(", ")} and adoptId`);
        }
    }
    v.nonEmptyString(inputs.name, "name", 'give the source a name, e.g. "Alertmanager (Production)"');
    if (typeof inputs.name === "string" && inputs.name.length > MAX_NAME_LENGTH) {
        v.fail("name", `is ${inputs.name.length} characters long; keep it to ${MAX_NAME_LENGTH}`);
    }
    const type = inputs.source_type;
    if (type === undefined) v.fail("source_type", 'is required: the kind of sender, e.g. "alertmanager"');
    else if (!isUnknown(type)) v.oneOf(type, "source_type", [...SOURCE_TYPES]);
    template(v, inputs.template);
    v.optionalArray(inputs.owning_team_ids, "owning_team_ids", (id, p) => v.id(id, p, "team"));
    v.optionalBoolean(inputs.auto_resolve_incident_alerts, "auto_resolve_incident_alerts");
    if (inputs.auto_resolve_timeout_minutes !== undefined)
        v.nonNegativeInteger(inputs.auto_resolve_timeout_minutes, "auto_resolve_timeout_minutes");
    // Heartbeat sources resolve by their own pings; the API refuses auto-resolve settings on them.
    if (type === "heartbeat") {
        for (const key of ["auto_resolve_incident_alerts", "auto_resolve_timeout_minutes"]) {
            if (inputs[key] !== undefined) v.fail(key, "is not allowed on a heartbeat source (it resolves when pings resume): remove it");
        }
    }
    for (const [key, owner] of Object.entries(OPTIONS_OF_TYPE)) {
        if (inputs[key] !== undefined && typeof type === "string" && !isUnknown(type) && type !== owner) {
            v.fail(key, `belongs to ${owner} sources; this source is ${type}: remove it`);
        }
    }
    if (inputs.email_options !== undefined && v.object(inputs.email_options, "email_options", "{ redactions, transform_expression? }")) {
        const e = inputs.email_options;
        v.knownKeys(e, "email_options", ["redactions", "transform_expression", "email_address"]);
        if (e.redactions === undefined) v.fail("email_options.redactions", "is required: [] or PII types to redact");
        else v.array(e.redactions, "email_options.redactions", (r, p) => v.oneOf(r, p, EMAIL_REDACTIONS));
    }
    if (inputs.heartbeat_options !== undefined && v.object(inputs.heartbeat_options, "heartbeat_options", "{ interval_seconds, ... }")) {
        const h = inputs.heartbeat_options;
        v.knownKeys(h, "heartbeat_options", ["interval_seconds", "failure_threshold", "grace_period_seconds"]);
        v.nonNegativeInteger(h.interval_seconds, "heartbeat_options.interval_seconds");
    }
    if (
        inputs.http_custom_options !== undefined &&
        v.object(inputs.http_custom_options, "http_custom_options", "{ transform_expression, deduplication_key_path }")
    ) {
        const h = inputs.http_custom_options;
        v.knownKeys(h, "http_custom_options", ["transform_expression", "deduplication_key_path"]);
        v.nonEmptyString(
            h.transform_expression,
            "http_custom_options.transform_expression",
            "the JavaScript that maps a payload to alert fields",
        );
        v.nonEmptyString(h.deduplication_key_path, "http_custom_options.deduplication_key_path", 'a JSON path such as "$.alert_id"');
    }
    const sourceIdProblem = adoptIdProblem(inputs.adoptId);
    if (sourceIdProblem)
        v.fail(
            "adoptId",
            `${sourceIdProblem}. It is meant to be an alert source's id: copy it from the source's URL or \`npm run discover-config\``,
        );
    return v.failures;
}

function template(v: Validator, value: unknown): void {
    if (!v.object(value, "template", "{ title, description, attributes, expressions }")) return;
    v.knownKeys(value, "template", ["title", "description", "attributes", "expressions", "is_private", "visible_to_teams"]);
    for (const key of ["title", "description"] as const) {
        const path = `template.${key}`;
        v.bindingValue(value[key], path);
        const literal = (value[key] as { literal?: unknown } | undefined)?.literal;
        // A literal that starts like a document must be one: the dashboard would show it as broken text.
        if (typeof literal === "string" && /^\s*[{[]/.test(literal) && parseDocument(literal) === undefined) {
            v.fail(
                `${path}.literal`,
                "starts like a rich-text JSON document but is not valid JSON: copy it whole from a backup (`npm run backup-routes`)",
            );
        }
    }
    if (value.attributes === undefined) v.fail("template.attributes", "is required: [] or the attributes this source sets");
    else {
        const seen = new Map<string, number>();
        v.array(value.attributes, "template.attributes", (a, p) => {
            if (!v.object(a, p, "{ alert_attribute_id, binding }")) return;
            v.knownKeys(a, p, ["alert_attribute_id", "binding"]);
            v.id(a.alert_attribute_id, `${p}.alert_attribute_id`, "alert attribute");
            if (v.object(a.binding, `${p}.binding`, "{ value } or { array_value }, and merge_strategy")) {
                const { merge_strategy, ...binding } = a.binding;
                v.binding(binding, `${p}.binding`);
                if (merge_strategy !== undefined && !isUnknown(merge_strategy))
                    v.oneOf(merge_strategy, `${p}.binding.merge_strategy`, MERGE_STRATEGIES);
            }
            const id = a.alert_attribute_id;
            if (typeof id === "string" && !isUnknown(id)) {
                if (seen.has(id))
                    v.fail(
                        `${p}.alert_attribute_id`,
                        `is bound already by template.attributes[${seen.get(id)}]; one binding per attribute`,
                    );
                else seen.set(id, Number(/\[(\d+)\]$/.exec(p)?.[1]));
            }
        });
    }
    if (value.expressions === undefined) v.fail("template.expressions", "is required: [] or the expressions the bindings use");
    else {
        v.array(value.expressions, "template.expressions", (e, p) => v.expression(e, p));
        if (Array.isArray(value.expressions)) {
            const seen = new Map<string, number>();
            value.expressions.forEach((e, i) => {
                const ref = (e as { reference?: unknown } | null)?.reference;
                if (typeof ref !== "string" || isUnknown(ref)) return;
                if (seen.has(ref))
                    v.fail(
                        `template.expressions[${i}].reference`,
                        `"${ref}" is already used by template.expressions[${seen.get(ref)}]; references must be unique`,
                    );
                else seen.set(ref, i);
            });
        }
    }
    v.optionalBoolean(value.is_private, "template.is_private");
    if (value.visible_to_teams !== undefined) v.binding(value.visible_to_teams, "template.visible_to_teams");
}

export function validateAttribute(inputs: Record<string, unknown>): CheckFailure[] {
    const v = new Validator();
    for (const key of Object.keys(inputs)) {
        if (key === "id") {
            v.fail(
                key,
                `is the id of an existing attribute, which a definition does not carry: remove it, or write adoptId: ${JSON.stringify(inputs.id)} instead`,
            );
        } else if (!(ATTRIBUTE_FIELDS as readonly string[]).includes(key) && key !== "adoptId") {
            v.fail(key, `unknown field "${key}"; an alert attribute takes ${ATTRIBUTE_FIELDS.join(", ")} and adoptId`);
        }
    }
    v.nonEmptyString(inputs.name, "name", 'give the attribute a name, e.g. "severity"');
    v.nonEmptyString(inputs.type, "type", 'the engine type, e.g. "String"');
    v.requiredBoolean(inputs.array, "array");
    v.optionalBoolean(inputs.required, "required");
    if (inputs.emoji !== undefined && !isUnknown(inputs.emoji) && typeof inputs.emoji !== "string")
        v.fail("emoji", "must be a string, without colons");
    const attributeIdProblem = adoptIdProblem(inputs.adoptId);
    if (attributeIdProblem)
        v.fail("adoptId", `${attributeIdProblem}. It is meant to be an alert attribute's id: \`npm run discover-config\` lists them`);
    return v.failures;
}

/** Only what cannot be an id is refused (incident.io may change its id format: ids.ts); the hint of
 * today's format stays in the message. */
function adoptIdProblem(value: unknown): string | undefined {
    if (value === undefined || isUnknown(value)) return undefined;
    return typeof value === "string" ? idProblem(value) : `must be a string, got ${typeof value}`;
}
