// The v3 view of an alert route, as far as this v2 provider needs it. incident.io's /v3/alert_routes
// serves the same routes (same ids, same version) with settings v2 cannot express; an organisation
// not moved to the v3 engine gets 403 `api_not_yet_available` there (terraform-provider-incident
// v5.41.0: ImportState probes v3, then falls back to v2; isAPINotYetAvailable reads errors[].code).
// This provider writes v2. What a v2 PUT does to v3-only settings is not documented, so a route
// that holds any is not written (v3ResetsOf), and the preview says which and why.
import type { IncidentIoApiError } from "./client/errors";
import { pulumiCommand } from "../core/shell";

/** The parts of AlertRouteV3 (openapi.json) that v2 cannot express. */
export interface AlertRouteV3View {
    id: string;
    version: number;
    grouping_config?: { default?: { enabled?: boolean; window_type?: string; window_seconds?: number } };
    message_config?: {
        destinations?: Array<{ slack_targets?: { group_alerts_summary?: boolean }; ms_teams_targets?: { group_alerts_summary?: boolean } }>;
    };
    [key: string]: unknown;
}

/**
 * The v3 settings of a route as the stack last saw them (the `v3` output), at the route's `version`
 * output: the record is current while the route stays at that version. It carries only what the
 * preview needs (the settings a v2 write could reset), so a dashboard edit that adds none leaves it
 * unchanged and `refresh --diff` shows no v3 line. No `v3` output: never read (a route adopted without
 * a write, or a state from before these records); it is read before the first write.
 */
export interface V3Record {
    /** v3-only settings a v2 write could reset, each described; [] when none. */
    resets: string[];
}

export function storedV3Record(stored: Record<string, unknown> | undefined): V3Record | undefined {
    const record = stored?.v3 as Partial<V3Record> | undefined;
    return record && Array.isArray(record.resets) && record.resets.every((r) => typeof r === "string")
        ? { resets: record.resets }
        : undefined;
}

/** The error code of the v3 API's migration gate (terraform-provider-incident alertRouteAPINotYetAvailableCode). */
export const API_NOT_YET_AVAILABLE = "api_not_yet_available";

export function isApiNotYetAvailable(error: unknown): boolean {
    const e = error as Partial<IncidentIoApiError> | undefined;
    return e?.status === 403 && Array.isArray(e.errors) && e.errors.some((d) => d?.code === API_NOT_YET_AVAILABLE);
}

/**
 * v3-only settings a v2 write could reset, described for messages. Each is a setting v2 has no field
 * for and that differs from what a route written through v2 holds:
 *  - grouping_config.default.window_type "fixed": v2 groups in a rolling window (terraform-provider-
 *    incident CHANGELOG v5.41.0: "rolling" matches the previous grouping behaviour);
 *  - group_alerts_summary on a Slack or Teams destination (CHANGELOG v5.45.0, v3 only).
 * Fields this provider has never heard of cannot be judged; the docs' "what full v3 support would
 * take" names them as the gap.
 */
export function v3ResetsOf(view: AlertRouteV3View): string[] {
    const resets: string[] = [];
    const grouping = view.grouping_config?.default;
    if (grouping?.enabled && grouping.window_type !== undefined && grouping.window_type !== "rolling") {
        resets.push(`grouping_config.default.window_type "${grouping.window_type}" (v2 groups in a rolling window)`);
    }
    (view.message_config?.destinations ?? []).forEach((destination, i) => {
        for (const key of ["slack_targets", "ms_teams_targets"] as const) {
            if (destination?.[key]?.group_alerts_summary === true) {
                resets.push(`message_config.destinations[${i}].${key}.group_alerts_summary true (v2 has no group summary)`);
            }
        }
    });
    return resets;
}

/** Whether this host process may ask /v3 at all: unknown until the first answer, then cached per
 * base URL (one probe per run, not one per route; the shim keeps one handlers instance per host). */
const availability: Map<string, boolean> = ((globalThis as Record<string, unknown>).__incidentIoV3Availability ??= new Map<
    string,
    boolean
>()) as Map<string, boolean>;

export function v3Availability(baseUrl: string): boolean | undefined {
    return availability.get(baseUrl);
}

export function recordV3Availability(baseUrl: string, available: boolean): void {
    availability.set(baseUrl, available);
}

/** For tests: forget what this process learnt. */
export function forgetV3Availability(): void {
    availability.clear();
}

/** The message for a route that is not written, and why. */
export function v3RefusalMessage(name: string, id: string, resets: string[], stack?: string): string {
    return (
        `alert route "${name}" (${id}) holds v3 settings that the v2 API this provider writes cannot express: ${resets.join("; ")}. ` +
        "A v2 update could reset them, so nothing was written. Either set them back in incident.io (Alerts → Routes) to what v2 " +
        `can say (a rolling grouping window, no group summary), then run \`${pulumiCommand("refresh", stack)}\` and \`${pulumiCommand("up", stack)}\`; or leave this route's ` +
        'changes to the dashboard until the provider writes v3 (docs/alert-route.md, "Moving to v3").'
    );
}

/** What each read of a route learnt about its v3 settings, for the outputs (extraOutputs). */
const inspected = new WeakMap<object, V3Record | "unread">();

/** The outputs recording `remote`'s v3 settings: what inspectV3 learnt (nothing when it left them
 * unread), else a route just written through v2 by us, which holds no v3-only settings (a v2 write
 * sets them from v2's fields). */
export function v3OutputsOf(remote: object): { v3?: V3Record } {
    const record = inspected.get(remote) ?? { resets: [] };
    return record === "unread" ? {} : { v3: record };
}

export interface V3Client {
    readonly baseUrl: string;
    getAlertRouteV3(id: string): Promise<AlertRouteV3View>;
}

/**
 * After a read of `remote` (v2): its v3 settings, from the stored record when the route is still at
 * the version it describes (no request: the floors stay), else from /v3 (one request; the first
 * one of the run also tells whether the organisation has v3 at all). Returns the refusal message
 * when a write is about to happen and v3-only settings would be at risk.
 */
export async function inspectV3(args: {
    client: V3Client;
    remote: { id: string; name: string; version: number };
    stored: Record<string, unknown> | undefined;
    write: boolean;
    stack: string | undefined;
    log: (line: string) => void;
}): Promise<string | undefined> {
    const { client, remote, write } = args;
    const stored = storedV3Record(args.stored);
    const moved = args.stored?.version !== remote.version;
    let record: V3Record | undefined = stored && !moved ? stored : undefined;
    // Asked when a write follows, or on refresh of a route with a record that moved since the stack
    // last saw it (a dashboard edit may have added v3 settings). An unread record (adopted without a
    // write, older state) stays unread on refresh: refresh keeps one GET per route and shows no v3 line.
    const needed = record === undefined && (write || (stored !== undefined && moved));
    if (needed && v3Availability(client.baseUrl) === false) {
        record = { resets: [] }; // not moved to v3 (learnt earlier in this process): no v3-only settings exist
    } else if (needed) {
        try {
            const view = await client.getAlertRouteV3(remote.id);
            recordV3Availability(client.baseUrl, true);
            record = { resets: v3ResetsOf(view) };
        } catch (error) {
            if (!isApiNotYetAvailable(error)) {
                // The v2 read succeeded; without the v3 view a write could reset what we cannot see.
                if (write)
                    return `alert route "${remote.name}" (${remote.id}): its v3 settings could not be read (${(error as Error).message}), so nothing was written. Run \`${pulumiCommand("up", args.stack)}\` again.`;
                args.log(
                    `incident.io: could not read the v3 settings of alert route "${remote.name}" (${remote.id}): ${(error as Error).message}`,
                );
                inspected.set(remote, stored ?? "unread");
                return undefined;
            }
            recordV3Availability(client.baseUrl, false); // not moved to v3: no v3-only settings exist
            record = { resets: [] };
        }
    }
    inspected.set(remote, record ?? "unread");
    if (record === undefined || record.resets.length === 0) return undefined;
    const message = v3RefusalMessage(remote.name, remote.id, record.resets, args.stack);
    if (!write) args.log(`incident.io: ${message.replace(", so nothing was written", ", so updates of it will not be written")}`);
    return write ? message : undefined;
}
