// /v3/alert_routes: the same routes (same ids and versions) in the v3 shape (AlertRouteV3 in
// openapi.json), with the settings v2 cannot express. The mapping follows incident.io's own migration
// notes (terraform-provider-incident CHANGELOG v5.41.0): grouping_keys/grouping_window_seconds →
// grouping_config.default; auto_relate_grouped_alerts/defer_time_seconds →
// escalation_config.when_alert_joins_group; channel_config + message_template → message_config;
// incident_template → incident_config.template (without `workspace`, which v3 does not have).
// An organisation not moved to v3 gets 403 `api_not_yet_available` (the shape of
// terraform-provider-incident incident_alert_route_import_test.go).
import { envelope, json, type Reply } from "./replies";
import type { AlertRouteV2 } from "./types";

/** What v3 holds that v2 cannot say; each route starts with none (a rolling window, no summaries). */
export interface V3OnlySettings {
    /** grouping_config.default.window_type when grouping is on: v2 groups in a rolling window. */
    window_type?: "rolling" | "fixed";
    /** message_config.destinations[i] (channel_config[i]): group alerts into one summary message. */
    group_alerts_summary?: boolean[];
}

export type V3Mode = "available" | "not_migrated";

export function notYetAvailable(): Reply {
    return json(
        403,
        envelope(403, "resource_forbidden", [
            { code: "api_not_yet_available", message: "This API is not yet available for your organisation" },
        ]),
    );
}

export function v3View(route: AlertRouteV2, extra: V3OnlySettings = {}): Record<string, unknown> {
    const cfg = route.incident_config;
    const grouping = cfg.grouping_keys.length > 0;
    const { workspace: _notInV3, ...template } = route.incident_template;
    return {
        id: route.id,
        name: route.name,
        enabled: route.enabled,
        is_private: route.is_private,
        version: route.version,
        owning_team_ids: route.owning_team_ids,
        alert_sources: route.alert_sources,
        condition_groups: route.condition_groups,
        expressions: route.expressions,
        grouping_config: {
            default: grouping
                ? {
                      enabled: true,
                      grouping_keys: cfg.grouping_keys,
                      window_seconds: Math.min(172_800, Math.max(60, cfg.grouping_window_seconds)),
                      window_type: extra.window_type ?? "rolling",
                  }
                : { enabled: false },
        },
        escalation_config: {
            ...route.escalation_config,
            ...(grouping
                ? {
                      when_alert_joins_group: cfg.auto_relate_grouped_alerts
                          ? { mode: "on_priority_increase" }
                          : { mode: "on_each_new_alert", grace_period_seconds: cfg.defer_time_seconds },
                  }
                : {}),
        },
        incident_config: {
            enabled: cfg.enabled,
            ...(cfg.enabled ? { auto_decline_enabled: cfg.auto_decline_enabled, condition_groups: cfg.condition_groups, template } : {}),
        },
        message_config: {
            destinations: route.channel_config.map((c, i) => {
                const summary = extra.group_alerts_summary?.[i] ?? false;
                // The empty Teams target v2 echoes (normalise.ts) is no destination target.
                const target = (t: { channel_visibility: string } | undefined) =>
                    t && t.channel_visibility !== "" ? { ...t, group_alerts_summary: summary } : undefined;
                const out: Record<string, unknown> = { condition_groups: c.condition_groups };
                const slack = target(c.slack_targets);
                const teams = target(c.ms_teams_targets);
                if (slack) out.slack_targets = slack;
                if (teams) out.ms_teams_targets = teams;
                return out;
            }),
            ...(route.message_template ? { template: route.message_template } : {}),
        },
        created_at: route.created_at,
        updated_at: route.updated_at,
    };
}
