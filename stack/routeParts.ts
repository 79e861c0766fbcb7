// The small pieces an incident.io alert route is built from, named for what they mean, so the
// route table in routes.ts never spells out param bindings by hand.
import type { AlertSourceFilter, ChannelConfig, Condition, EscalationConfig, ParamBinding } from "../providers/incident-io";

/** A binding to one or more fixed ids/values (what the dashboard stores for a picked item). */
export function literals(...values: string[]): ParamBinding {
    return { array_value: values.map((literal) => ({ literal })) };
}

/** Where an alert attribute's value lives in an alert route's scope. */
export function alertAttribute(attributeId: string): string {
    return `alert.attributes.${attributeId}`;
}

export function attributeIs(attributeId: string, value: string): Condition {
    return { subject: alertAttribute(attributeId), operation: "one_of", param_bindings: [literals(value)] };
}

export function attributeNotSet(attributeId: string): Condition {
    return { subject: alertAttribute(attributeId), operation: "is_not_set", param_bindings: [] };
}

/** Alerts from one source; with conditions, only those that meet all of them. */
export function fromSource(alertSourceId: string, ...conditions: Condition[]): AlertSourceFilter {
    return { alert_source_id: alertSourceId, condition_groups: conditions.length > 0 ? [{ conditions }] : [] };
}

export function escalateTo(escalationPathId: string): EscalationConfig {
    return { auto_cancel_escalations: true, escalation_targets: [{ escalation_paths: literals(escalationPathId) }] };
}

/** Post every alert of the route to one Slack channel. */
export function postToSlack(channelId: string): ChannelConfig {
    return { condition_groups: [], slack_targets: { binding: literals(channelId), channel_visibility: "public" } };
}
