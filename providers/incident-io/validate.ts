// `check` for alert routes: every problem in a spec, each with its property path and a fix,
// found before any API call. Values Pulumi does not know yet (preview) are accepted.
import type * as pulumi from "@pulumi/pulumi";
import { ID_EXAMPLE, idProblem, unusualId } from "./ids";
import { SPEC_FIELDS } from "./model";
import { describeValue } from "../core/shell";

export { INCIDENT_IO_ID } from "./ids";

export type CheckFailure = pulumi.dynamic.CheckFailure;
/** Something `check` lets through but the user should see: a value this provider does not know yet. */
export interface CheckWarning {
    property: string;
    reason: string;
}

// Pulumi's "not known yet" sentinel has one home in the shared core.
import { containsUnknown, isUnknown, UNKNOWN } from "../core/compare";
export { containsUnknown, isUnknown, UNKNOWN };

/** Engine references: dotted paths such as `alert.title` or `alert.attributes.01H...`. */
const REFERENCE = /^[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]*\])?(\.[A-Za-z0-9_-]+(\[[^\]]*\])?)*$/;
export const MAX_NAME_LENGTH = 255;
const INT32_MAX = 2 ** 31 - 1;

type Arity = "none" | "one" | "many";
/**
 * Condition operations this provider knows, and the bindings each takes. Not a closed list: the spec
 * gives `operation` no enum, and incident.io's API reference counts new enum values among the changes
 * it may make without notice. An operation not listed here passes `check` with a warning naming it.
 */
export const OPERATIONS: Record<string, Arity> = {
    is: "one",
    is_not: "one",
    one_of: "many",
    not_one_of: "many",
    is_set: "none",
    is_not_set: "none",
    is_blank: "none",
    is_not_blank: "none",
    contains: "one",
    does_not_contain: "one",
    contains_any: "many",
    contains_none: "many",
    contains_all: "many",
    starts_with: "one",
    ends_with: "one",
    does_not_start_with: "one",
    does_not_end_with: "one",
    greater_than: "one",
    greater_than_or_equal_to: "one",
    less_than: "one",
    less_than_or_equal_to: "one",
    is_before: "one",
    is_after: "one",
    is_within: "one",
    matches_regex: "one",
    // The names the API answers with for `one_of` on text attributes and `contains` on catalog
    // subjects (OPERATION_ALIASES in model.ts): a route pasted from an answer uses them.
    contains_one_of: "many",
    name_contains: "one",
};

const EXPRESSION_OPTION_KEYS = ["branches", "cast", "concatenate", "filter", "navigate", "parse"];
const TEMPLATE_BINDINGS = ["incident_mode", "incident_type", "membership_teams", "start_in_triage", "workspace"];
const EXPRESSION_OPERATIONS = [
    "navigate",
    "filter",
    "concatenate",
    "count",
    "min",
    "max",
    "sum",
    "random",
    "first",
    "parse",
    "branches",
    "cast",
];
const CHANNEL_VISIBILITIES = ["public", "private"];
const KNOWN_INPUTS = new Set<string>([...SPEC_FIELDS, "adoptId", "__provider", "version", "route"]);

/** Validates a route spec (payload shape, as users write it): the failures only. */
export function validateRoute(inputs: Record<string, unknown>): CheckFailure[] {
    return checkRoute(inputs).failures;
}

/** Validates a route spec: what stops it (failures) and what passes but is worth saying (warnings). */
export function checkRoute(inputs: Record<string, unknown>): { failures: CheckFailure[]; warnings: CheckWarning[] } {
    const v = new Validator();
    for (const key of Object.keys(inputs)) {
        if (key === "id") {
            // Pasted from an answer: the id is incident.io's to give; keeping it would look like adoption.
            v.fail(
                key,
                `is the id of an existing route in incident.io, which a definition does not carry: remove it, or, to take that live route under management, write adoptId: ${JSON.stringify(inputs.id)} instead`,
            );
        } else if (!KNOWN_INPUTS.has(key)) {
            v.fail(key, `unknown field "${key}"; an alert route takes ${SPEC_FIELDS.join(", ")} and adoptId`);
        }
    }
    v.nonEmptyString(inputs.name, "name", 'give the route a name, e.g. "Production Alerts"');
    if (typeof inputs.name === "string" && inputs.name.length > MAX_NAME_LENGTH) {
        v.fail("name", `is ${inputs.name.length} characters long; keep it to ${MAX_NAME_LENGTH}`);
    }
    v.optionalBoolean(inputs.enabled, "enabled");
    v.optionalBoolean(inputs.is_private, "is_private");
    v.alertSources(inputs.alert_sources, "alert_sources");
    v.optionalArray(inputs.condition_groups, "condition_groups", (g, p) => v.conditionGroup(g, p));
    v.optionalArray(inputs.expressions, "expressions", (e, p) => v.expression(e, p));
    v.expressionReferencesUnique(inputs.expressions);
    if (inputs.escalation_config !== undefined) v.escalationConfig(inputs.escalation_config, "escalation_config");
    if (inputs.incident_config !== undefined) v.incidentConfig(inputs.incident_config, "incident_config");
    if (inputs.incident_template !== undefined) v.incidentTemplate(inputs.incident_template, "incident_template");
    v.optionalArray(inputs.channel_config, "channel_config", (c, p) => v.channelConfig(c, p));
    if (inputs.message_template !== undefined) v.binding(inputs.message_template, "message_template");
    v.optionalArray(inputs.owning_team_ids, "owning_team_ids", (id, p) => v.id(id, p, "team"));
    if (inputs.adoptId !== undefined && !isUnknown(inputs.adoptId)) {
        const problem =
            typeof inputs.adoptId === "string" ? idProblem(inputs.adoptId) : `must be a string, got ${describeType(inputs.adoptId)}`;
        if (problem !== undefined) {
            v.fail(
                "adoptId",
                `${problem}. It is meant to be an alert route's id: copy it from the route's URL or \`npm run import-routes\``,
            );
        } else {
            const unusual = unusualId(inputs.adoptId as string);
            if (unusual) v.warn("adoptId", unusual);
        }
    }
    return { failures: v.failures, warnings: v.warnings };
}

export class Validator {
    readonly failures: CheckFailure[] = [];
    readonly warnings: CheckWarning[] = [];

    fail(property: string, reason: string): void {
        this.failures.push({ property, reason });
    }

    warn(property: string, reason: string): void {
        this.warnings.push({ property, reason });
    }

    /** Runs `check` unless the value is unknown; returns whether it was an object. */
    object(value: unknown, path: string, what: string): value is Record<string, unknown> {
        if (isUnknown(value)) return false;
        if (value === undefined) {
            this.fail(path, `is required: ${what}`);
            return false;
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            this.fail(path, `must be an object (${what}), got ${describeType(value)}`);
            return false;
        }
        return true;
    }

    /** Flags keys the API does not know (typos would otherwise only fail at `pulumi up`). */
    knownKeys(value: Record<string, unknown>, path: string, allowed: readonly string[]): void {
        for (const key of Object.keys(value)) {
            if (!allowed.includes(key)) this.fail(`${path}.${key}`, `unknown field "${key}"; expected one of: ${allowed.join(", ")}`);
        }
    }

    nonEmptyString(value: unknown, path: string, fix: string): void {
        if (isUnknown(value)) return;
        if (value === undefined || value === null) this.fail(path, `is required; ${fix}`);
        else if (typeof value !== "string") this.fail(path, `must be a string, got ${describeType(value)}`);
        else if (value.trim() === "") this.fail(path, `must not be empty; ${fix}`);
    }

    optionalBoolean(value: unknown, path: string): void {
        if (value !== undefined && !isUnknown(value) && typeof value !== "boolean") {
            this.fail(path, `must be true or false, got ${describeType(value)}`);
        }
    }

    requiredBoolean(value: unknown, path: string): void {
        if (value === undefined) this.fail(path, "is required: true or false");
        else this.optionalBoolean(value, path);
    }

    nonNegativeInteger(value: unknown, path: string): void {
        if (value === undefined || isUnknown(value)) return;
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > INT32_MAX) {
            this.fail(path, `must be a whole number of seconds from 0 to ${INT32_MAX}, got ${describeValue(value)}`);
        }
    }

    optionalArray(value: unknown, path: string, each: (item: unknown, path: string) => void): void {
        if (value === undefined) return;
        this.array(value, path, each);
    }

    array(value: unknown, path: string, each: (item: unknown, path: string) => void): value is unknown[] {
        if (isUnknown(value)) return false;
        if (!Array.isArray(value)) {
            this.fail(path, `must be a list, got ${describeType(value)}`);
            return false;
        }
        value.forEach((item, i) => each(item, `${path}[${i}]`));
        return true;
    }

    alertSources(value: unknown, path: string): void {
        if (value === undefined) {
            this.fail(
                path,
                "is required: list the alert sources this route takes alerts from, e.g. [{ alert_source_id, condition_groups: [] }]",
            );
            return;
        }
        const seen = new Map<string, number>();
        if (!this.array(value, path, (source, p) => this.alertSource(source, p))) return;
        if ((value as unknown[]).length === 0)
            this.fail(path, "must name at least one alert source; a route without sources never receives an alert");
        (value as unknown[]).forEach((source, i) => {
            const id = (source as { alert_source_id?: unknown } | null)?.alert_source_id;
            if (typeof id !== "string" || isUnknown(id)) return;
            if (seen.has(id))
                this.fail(
                    `${path}[${i}].alert_source_id`,
                    `repeats alert source ${id} (also at ${path}[${seen.get(id)}]); merge their condition_groups`,
                );
            else seen.set(id, i);
        });
    }

    alertSource(value: unknown, path: string): void {
        if (!this.object(value, path, "{ alert_source_id, condition_groups }")) return;
        this.knownKeys(value, path, ["alert_source_id", "condition_groups"]);
        this.id(value.alert_source_id, `${path}.alert_source_id`, "alert source");
        if (value.condition_groups === undefined)
            this.fail(`${path}.condition_groups`, "is required; use [] to take every alert from this source");
        else this.array(value.condition_groups, `${path}.condition_groups`, (g, p) => this.conditionGroup(g, p));
    }

    id(value: unknown, path: string, what: string): void {
        if (isUnknown(value)) return;
        if (typeof value !== "string" || value === "") {
            this.fail(path, `is required: the ${what}'s id (incident.io ids look like ${ID_EXAMPLE})`);
            return;
        }
        const problem = idProblem(value);
        if (problem !== undefined) {
            this.fail(path, `${problem}. It is meant to be the ${what}'s id: copy it from the ${what}'s page`);
            return;
        }
        const unusual = unusualId(value);
        if (unusual !== undefined) this.warn(path, `${unusual} (the ${what}'s id)`);
    }

    conditionGroup(value: unknown, path: string): void {
        if (!this.object(value, path, "{ conditions: [...] }")) return;
        this.knownKeys(value, path, ["conditions"]);
        if (value.conditions === undefined) {
            this.fail(`${path}.conditions`, "is required: a group is a list of conditions that must all hold");
            return;
        }
        if (
            this.array(value.conditions, `${path}.conditions`, (c, p) => this.condition(c, p)) &&
            (value.conditions as unknown[]).length === 0
        ) {
            this.fail(`${path}.conditions`, "must not be empty; drop the group to match every alert");
        }
    }

    condition(value: unknown, path: string): void {
        if (!this.object(value, path, "{ subject, operation, param_bindings }")) return;
        this.knownKeys(value, path, ["subject", "operation", "param_bindings"]);
        this.reference(value.subject, `${path}.subject`, "what the condition tests, e.g. alert.title or alert.attributes.<attribute id>");
        const op = value.operation;
        let arity: Arity | undefined;
        if (isUnknown(op)) {
            arity = undefined;
        } else if (typeof op !== "string" || op === "") {
            this.fail(`${path}.operation`, `is required, one of: ${Object.keys(OPERATIONS).join(", ")}`);
        } else if (!(op in OPERATIONS)) {
            this.warn(
                `${path}.operation`,
                `unknown operation "${op}", sent as it is (incident.io may add operations; its API refuses one it does not have). Known: ${Object.keys(OPERATIONS).join(", ")}`,
            );
        } else {
            arity = OPERATIONS[op];
        }
        if (value.param_bindings === undefined) {
            this.fail(`${path}.param_bindings`, "is required; use [] for operations without a value such as is_set");
            return;
        }
        if (!this.array(value.param_bindings, `${path}.param_bindings`, (b, p) => this.binding(b, p))) return;
        const bindings = value.param_bindings as Array<Record<string, unknown>>;
        if (arity === "none" && bindings.length > 0) this.fail(`${path}.param_bindings`, `must be [] for "${op}", which takes no value`);
        if ((arity === "one" || arity === "many") && bindings.length !== 1) {
            this.fail(
                `${path}.param_bindings`,
                `"${op}" takes exactly one binding, e.g. [{ ${arity === "many" ? 'array_value: [{ literal: "critical" }]' : 'value: { literal: "main" }'} }]`,
            );
        }
        if (arity === "many" && bindings.length === 1 && bindings[0]?.value !== undefined && bindings[0]?.array_value === undefined) {
            this.fail(`${path}.param_bindings[0]`, `"${op}" compares against a list: use array_value: [{ literal: ... }] instead of value`);
        }
        if (arity === "one" && bindings.length === 1 && bindings[0]?.array_value !== undefined && bindings[0]?.value === undefined) {
            this.fail(
                `${path}.param_bindings[0]`,
                `"${op}" compares against one value: use value: { literal: ... } instead of array_value`,
            );
        }
    }

    reference(value: unknown, path: string, what: string): void {
        if (isUnknown(value)) return;
        if (typeof value !== "string" || value === "") this.fail(path, `is required: ${what}`);
        else if (!REFERENCE.test(value)) this.fail(path, `"${value}" is not a reference; expected ${what}`);
    }

    /** EngineParamBindingPayloadV2: exactly one of `value` or a non-empty `array_value`. */
    /** `ids` names what the literals must be ids of (escalation paths, users), when they must. */
    binding(value: unknown, path: string, ids?: string): void {
        if (!this.object(value, path, "{ value } or { array_value }")) return;
        const hasValue = value.value !== undefined;
        const hasArray = value.array_value !== undefined;
        this.knownKeys(value, path, ["value", "array_value"]);
        if (hasValue === hasArray) {
            this.fail(
                path,
                hasValue
                    ? "set value or array_value, not both"
                    : "is empty: set value: { literal: ... } or array_value: [{ literal: ... }]",
            );
        }
        if (hasValue) this.bindingValue(value.value, `${path}.value`, ids);
        if (hasArray && this.array(value.array_value, `${path}.array_value`, (item, p) => this.bindingValue(item, p, ids))) {
            if ((value.array_value as unknown[]).length === 0)
                this.fail(`${path}.array_value`, "must not be empty; drop the binding instead");
        }
    }

    bindingValue(value: unknown, path: string, ids?: string): void {
        if (!this.object(value, path, "{ literal } or { reference }")) return;
        this.knownKeys(value, path, ["literal", "reference", "label"]);
        const { literal, reference } = value;
        if ((literal === undefined) === (reference === undefined)) {
            this.fail(
                path,
                literal === undefined
                    ? "is empty: set literal (a fixed value) or reference (e.g. alert.title)"
                    : "set literal or reference, not both",
            );
            return;
        }
        if (literal !== undefined && !isUnknown(literal) && typeof literal !== "string") {
            this.fail(
                `${path}.literal`,
                `must be a string (incident.io takes literals as text), got ${describeType(literal)}; write ${JSON.stringify(String(literal))}`,
            );
        }
        if (reference !== undefined) this.reference(reference, `${path}.reference`, "a reference such as alert.title");
        if (ids && typeof literal === "string") this.id(literal, `${path}.literal`, ids);
    }

    expression(value: unknown, path: string): void {
        if (!this.object(value, path, "{ label, reference, root_reference, operations }")) return;
        this.knownKeys(value, path, ["label", "reference", "root_reference", "operations", "else_branch"]);
        this.nonEmptyString(value.label, `${path}.label`, "name the expression");
        this.nonEmptyString(value.reference, `${path}.reference`, "give it a reference, unique in the route");
        // "." is the whole scope; `branches` requires it. Evidence: terraform-provider-incident
        // internal/provider/incident_alert_route_validate.go ("Invalid root_reference for branches operation").
        const usesBranches =
            Array.isArray(value.operations) &&
            value.operations.some((op) => (op as { operation_type?: unknown } | null)?.operation_type === "branches");
        if (value.root_reference !== ".")
            this.reference(
                value.root_reference,
                `${path}.root_reference`,
                'where the expression starts, e.g. alert (or "." for the whole scope)',
            );
        if (usesBranches && typeof value.root_reference === "string" && !isUnknown(value.root_reference) && value.root_reference !== ".") {
            this.fail(
                `${path}.root_reference`,
                `is "${value.root_reference}", but an expression with a branches operation starts from the whole scope: set root_reference: "." and give its conditions full references such as alert.attributes.<id>`,
            );
        }
        if (value.operations === undefined) this.fail(`${path}.operations`, "is required: the steps of the expression");
        else {
            this.array(value.operations, `${path}.operations`, (op, p) => {
                if (!this.object(op, p, "{ operation_type, ... }")) return;
                this.knownKeys(op, p, ["operation_type", ...EXPRESSION_OPTION_KEYS]);
                const type = op.operation_type;
                if (!isUnknown(type) && (typeof type !== "string" || type === "")) {
                    this.fail(`${p}.operation_type`, `is required, one of: ${EXPRESSION_OPERATIONS.join(", ")}`);
                } else if (typeof type === "string" && !isUnknown(type) && !EXPRESSION_OPERATIONS.includes(type)) {
                    this.warn(
                        `${p}.operation_type`,
                        `unknown operation_type ${JSON.stringify(type)}, sent as it is (incident.io may add enum values; its API refuses one it does not have). Known: ${EXPRESSION_OPERATIONS.join(", ")}`,
                    );
                } else if (
                    typeof type === "string" &&
                    ["navigate", "filter", "parse", "branches", "concatenate", "cast"].includes(type) &&
                    op[type] === undefined
                ) {
                    this.fail(
                        `${p}.${type}`,
                        type === "cast" || type === "concatenate"
                            ? `is required when operation_type is "${type}"; incident.io's answers leave it out, so a route pasted from an answer or a backup needs it added back from its definition`
                            : `is required when operation_type is "${type}"`,
                    );
                }
            });
        }
        if (value.else_branch !== undefined && this.object(value.else_branch, `${path}.else_branch`, "{ result }")) {
            this.knownKeys(value.else_branch, `${path}.else_branch`, ["result"]);
            this.binding(value.else_branch.result, `${path}.else_branch.result`);
        }
    }

    expressionReferencesUnique(value: unknown): void {
        if (!Array.isArray(value)) return;
        const seen = new Map<string, number>();
        value.forEach((e, i) => {
            const ref = (e as { reference?: unknown } | null)?.reference;
            if (typeof ref !== "string" || isUnknown(ref)) return;
            if (seen.has(ref))
                this.fail(
                    `expressions[${i}].reference`,
                    `"${ref}" is already used by expressions[${seen.get(ref)}]; references must be unique`,
                );
            else seen.set(ref, i);
        });
    }

    escalationConfig(value: unknown, path: string): void {
        if (!this.object(value, path, "{ auto_cancel_escalations, escalation_targets }")) return;
        this.knownKeys(value, path, ["auto_cancel_escalations", "escalation_targets"]);
        this.requiredBoolean(value.auto_cancel_escalations, `${path}.auto_cancel_escalations`);
        if (value.escalation_targets === undefined) {
            this.fail(`${path}.escalation_targets`, "is required; use [] for a route that escalates to nobody");
            return;
        }
        this.array(value.escalation_targets, `${path}.escalation_targets`, (t, p) => {
            if (!this.object(t, p, "{ escalation_paths } or { users }")) return;
            this.knownKeys(t, p, ["escalation_paths", "users"]);
            if (t.escalation_paths === undefined && t.users === undefined) {
                this.fail(p, "escalates to nobody: set escalation_paths: { array_value: [{ literal: <escalation path id> }] } or users");
            }
            // A target is one or the other; incident.io's answer repeats escalation_paths under users,
            // and `toPayload` drops that echo before this runs (model.ts dropEscalationEcho).
            if (t.escalation_paths !== undefined && t.users !== undefined) {
                this.fail(p, "sets both escalation_paths and users: a target escalates to one or the other; split it into two targets");
            }
            if (t.escalation_paths !== undefined) this.binding(t.escalation_paths, `${p}.escalation_paths`, "escalation path");
            if (t.users !== undefined) this.binding(t.users, `${p}.users`, "user");
        });
    }

    incidentConfig(value: unknown, path: string): void {
        if (!this.object(value, path, "incident creation settings")) return;
        this.knownKeys(value, path, [
            "enabled",
            "auto_decline_enabled",
            "auto_relate_grouped_alerts",
            "condition_groups",
            "grouping_keys",
            "grouping_window_seconds",
            "defer_time_seconds",
        ]);
        this.requiredBoolean(value.enabled, `${path}.enabled`);
        this.requiredBoolean(value.auto_decline_enabled, `${path}.auto_decline_enabled`);
        this.optionalBoolean(value.auto_relate_grouped_alerts, `${path}.auto_relate_grouped_alerts`);
        this.optionalArray(value.condition_groups, `${path}.condition_groups`, (g, p) => this.conditionGroup(g, p));
        this.optionalArray(value.grouping_keys, `${path}.grouping_keys`, (k, p) => {
            if (!this.object(k, p, "{ reference }")) return;
            this.knownKeys(k, p, ["reference"]);
            this.reference(k.reference, `${p}.reference`, "an alert attribute reference to group by");
        });
        this.nonNegativeInteger(value.grouping_window_seconds, `${path}.grouping_window_seconds`);
        this.nonNegativeInteger(value.defer_time_seconds, `${path}.defer_time_seconds`);
        for (const key of ["condition_groups", "grouping_keys", "grouping_window_seconds", "defer_time_seconds"]) {
            if (value[key] === undefined)
                this.fail(`${path}.${key}`, `is required (the API has no default); e.g. ${key.endsWith("seconds") ? "0" : "[]"}`);
        }
    }

    incidentTemplate(value: unknown, path: string): void {
        if (!this.object(value, path, "{ name, ... }")) return;
        this.knownKeys(value, path, ["name", "summary", ...TEMPLATE_BINDINGS, "severity", "custom_fields"]);
        for (const key of TEMPLATE_BINDINGS) {
            const t = value[key];
            if (t === undefined || !this.object(t, `${path}.${key}`, "{ binding }")) continue;
            this.knownKeys(t, `${path}.${key}`, ["binding"]);
            if (t.binding !== undefined) this.binding(t.binding, `${path}.${key}.binding`);
        }
        if (value.name === undefined)
            this.fail(`${path}.name`, "is required; use { autogenerated: true } to let incident.io name incidents");
        for (const key of ["name", "summary"]) {
            const t = value[key];
            if (t === undefined || !this.object(t, `${path}.${key}`, "{ autogenerated } or { binding }")) continue;
            this.knownKeys(t, `${path}.${key}`, ["autogenerated", "binding"]);
            this.optionalBoolean(t.autogenerated, `${path}.${key}.autogenerated`);
            if (t.binding !== undefined) this.binding(t.binding, `${path}.${key}.binding`);
        }
        if (value.severity !== undefined && this.object(value.severity, `${path}.severity`, "{ merge_strategy, binding? }")) {
            this.knownKeys(value.severity, `${path}.severity`, ["merge_strategy", "binding"]);
            this.oneOf(value.severity.merge_strategy, `${path}.severity.merge_strategy`, ["first-wins", "max"]);
            if (value.severity.binding !== undefined) this.binding(value.severity.binding, `${path}.severity.binding`);
        }
        this.optionalArray(value.custom_fields, `${path}.custom_fields`, (f, p) => {
            if (!this.object(f, p, "{ custom_field_id, binding, merge_strategy }")) return;
            this.knownKeys(f, p, ["custom_field_id", "binding", "merge_strategy"]);
            this.id(f.custom_field_id, `${p}.custom_field_id`, "custom field");
            this.binding(f.binding, `${p}.binding`);
            this.oneOf(f.merge_strategy, `${p}.merge_strategy`, ["first-wins", "last-wins", "append"]);
        });
    }

    channelConfig(value: unknown, path: string): void {
        if (!this.object(value, path, "{ condition_groups, slack_targets | ms_teams_targets }")) return;
        this.knownKeys(value, path, ["condition_groups", "slack_targets", "ms_teams_targets"]);
        if (value.condition_groups === undefined) this.fail(`${path}.condition_groups`, "is required; use [] to post every alert");
        else this.array(value.condition_groups, `${path}.condition_groups`, (g, p) => this.conditionGroup(g, p));
        if (value.slack_targets === undefined && value.ms_teams_targets === undefined) {
            this.fail(
                path,
                'posts nowhere: set slack_targets: { binding: { array_value: [{ literal: <channel id> }] }, channel_visibility: "public" }',
            );
        }
        for (const key of ["slack_targets", "ms_teams_targets"]) {
            const t = value[key];
            if (t === undefined || !this.object(t, `${path}.${key}`, "{ binding, channel_visibility }")) continue;
            this.knownKeys(t, `${path}.${key}`, ["binding", "channel_visibility"]);
            this.binding(t.binding, `${path}.${key}.binding`);
            this.oneOf(t.channel_visibility, `${path}.${key}.channel_visibility`, CHANNEL_VISIBILITIES);
        }
    }

    /** An enum: a value that is not a string fails; one this provider does not know passes with a
     * warning (incident.io may add enum values without notice; its 422 decides). */
    oneOf(value: unknown, path: string, known: string[]): void {
        if (isUnknown(value)) return;
        if (typeof value !== "string" || value === "") {
            this.fail(path, `must be one of ${known.map((a) => `"${a}"`).join(", ")}, got ${describeValue(value)}`);
        } else if (!known.includes(value)) {
            this.warn(
                path,
                `unknown value ${JSON.stringify(value)}, sent as it is (known: ${known.map((a) => `"${a}"`).join(", ")}); incident.io's API refuses it if it has no such value`,
            );
        }
    }
}

function describeType(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    return typeof value === "object" ? "an object" : `${typeof value} ${describeValue(value)}`;
}
