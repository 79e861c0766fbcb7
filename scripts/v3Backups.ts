// The v3 view of each route, kept beside its v2 backup: <out>/alert_routes_v3/<id>.json, keys sorted.
// incident.io's /v3/alert_routes serves the same routes with settings v2 cannot express (a fixed
// grouping window, group summaries, message_config, when_alert_joins_group); a v2 backup alone would
// lose them, and restore-routes (v2) cannot write them back, so it names them (v3ResetsOf).
// An organisation not moved to v3 answers 403 `api_not_yet_available` (terraform-provider-incident
// v5.41.0): asked once per run, then no more; the run says so and writes no v3 file.
import * as fs from "node:fs";
import * as path from "node:path";

import { describeValue, isApiNotYetAvailable, type AlertRouteV3View, type IncidentIoClient } from "../providers/incident-io";
import { dropSecrets } from "./backups";
import { stableJson } from "./cli";

export const V3_DIR = "alert_routes_v3";

/** The fields of AlertRouteV3 (openapi.json): a v3 backup holds these and no other. */
export const ROUTE_V3_FIELDS = [
    "alert_sources",
    "condition_groups",
    "created_at",
    "enabled",
    "escalation_config",
    "expressions",
    "grouping_config",
    "id",
    "incident_config",
    "is_private",
    "message_config",
    "name",
    "owning_team_ids",
    "updated_at",
    "version",
] as const;

export type V3Outcome = "saved" | "unchanged" | "not on v3";

/** The file's text for one route's v3 view, once the answer is checked to be the route asked for. */
export function v3BackupText(id: string, view: AlertRouteV3View): string {
    if (view.id !== id) throw new Error(`the v3 answer is route ${describeValue(view.id)}, not the one asked for; not saved`);
    const raw = view as Record<string, unknown>;
    const known = Object.fromEntries(ROUTE_V3_FIELDS.filter((f) => raw[f] !== undefined).map((f) => [f, raw[f]]));
    return stableJson({ alert_route: dropSecrets(known) });
}

/**
 * One run's v3 reads. The first request tells whether the organisation has v3: the others wait for
 * its answer, so an organisation not on v3 is asked once, not once per route.
 */
export class V3Reader {
    private available: boolean | undefined;
    private probe: Promise<unknown> | undefined;

    constructor(private readonly client: Pick<IncidentIoClient, "getAlertRouteV3">) {}

    /** Whether the organisation answered as not moved to v3 (false: not asked yet, or on v3). */
    get notOnV3(): boolean {
        return this.available === false;
    }

    /** `id`'s v3 view, or "not on v3"; any other failure is thrown. */
    async read(id: string): Promise<AlertRouteV3View | "not on v3"> {
        if (this.probe && this.available === undefined) await this.probe.catch(() => undefined);
        if (this.available === false) return "not on v3";
        const asked = this.client.getAlertRouteV3(id);
        this.probe ??= asked;
        try {
            const view = await asked;
            this.available = true;
            return view;
        } catch (error) {
            if (!isApiNotYetAvailable(error)) throw error;
            this.available = false;
            return "not on v3";
        }
    }
}

/** One run's v3 backups (V3Reader: one probe per run). */
export class V3Backups {
    private readonly reader: V3Reader;

    constructor(
        client: Pick<IncidentIoClient, "getAlertRouteV3">,
        private readonly out: string,
        private readonly write: (file: string, text: string) => "saved" | "unchanged",
    ) {
        this.reader = new V3Reader(client);
    }

    get notOnV3(): boolean {
        return this.reader.notOnV3;
    }

    /** Saves `id`'s v3 view; throws with the reason when it could not (the v2 file is kept). */
    async save(id: string): Promise<V3Outcome> {
        let view: AlertRouteV3View | "not on v3";
        try {
            view = await this.reader.read(id);
        } catch (error) {
            throw new Error(`its v2 file was saved, its v3 view was not: ${(error as Error).message}`);
        }
        if (view === "not on v3") return view;
        const text = v3BackupText(id, view);
        fs.mkdirSync(path.join(this.out, V3_DIR), { recursive: true });
        return this.write(path.join(this.out, V3_DIR, `${id}.json`), text);
    }
}
