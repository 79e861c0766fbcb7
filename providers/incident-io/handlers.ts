// The AlertRoute provider's handlers: the shared core (providers/core) with what is the route's own
// (model.ts compares, validate.ts checks, the client's route calls). They run inside Pulumi's
// dynamic-provider host (loaded by the shim in alertRoute.ts, which reads `alertRouteHandlers`
// from this file: keep that export, old states' shims load it) and in tests.
import type * as pulumi from "@pulumi/pulumi";
import { ResourceHandlers, type ReadResultOf, type ResourceKind } from "../core";
import type { AlertRouteInputs, AlertRouteOutputs } from "./alertRoute";
import { incidentIoBackend } from "./backend";
import type { IncidentIoClient } from "./client/client";
import type { ProviderSettings } from "./settings";
import { changedFields, fromResponse, pickSpec, sameRoute, toPayload, withDefaults } from "./model";
import type { AlertRouteResponse, AlertRouteSpec } from "./types";
import { checkRoute } from "./validate";
import { inspectV3, storedV3Record, v3OutputsOf, v3RefusalMessage } from "./v3";

/** Read's answer: `inputs` are inputs (the SDK types them as outputs). */
export type AlertRouteReadResult = ReadResultOf<AlertRouteInputs, AlertRouteOutputs>;

export const alertRouteKind: ResourceKind<AlertRouteSpec, AlertRouteResponse, IncidentIoClient> = {
    words: {
        noun: "alert route",
        short: "route",
        dashboard: "Alerts → Routes",
        listIds: "`npm run import-routes`",
        adoptConfig: "`alert-routing:adopt`",
        sameNameSetting: "alert-routing:sameNameLiveRoute",
    },
    parse: (raw) => toPayload(raw),
    validate: (payload, adoptId, warn) => {
        const { failures, warnings } = checkRoute({ ...payload, ...(adoptId === undefined ? {} : { adoptId }) });
        for (const w of warnings) warn(w.property, w.reason);
        return failures;
    },
    complete: (payload) => withDefaults(pickSpec(payload)),
    pickSpec,
    fromResponse,
    same: sameRoute,
    changedFields,
    liveField: "route",
    // `v3`: the route's v3-only settings at this version (v3.ts), so a preview can say a write would be refused.
    extraOutputs: (remote) => ({ version: remote.version, ...v3OutputsOf(remote) }),
    inspect: (args) => inspectV3(args),
    version: (remote) => remote.version,
    get: (client, id) => client.getAlertRoute(id),
    create: (client, spec) => client.createAlertRoute(spec),
    update: (client, id, spec, version) => client.updateAlertRoute(id, spec, version!),
    remove: (client, id) => client.deleteAlertRoute(id),
    // One paged list (50 a page) per run, shared by every route's check (core/sameName.ts).
    listLive: (client) => client.listAlertRoutes(),
    idsNamed: async (client, name) => (await client.listAlertRoutes()).filter((r) => r.name === name).map((r) => r.id),
    claim: (client, id, annotations) => client.claimManaged("alert_route", id, annotations),
};

export class AlertRouteHandlers extends ResourceHandlers<
    AlertRouteSpec,
    AlertRouteResponse,
    AlertRouteInputs,
    AlertRouteOutputs,
    IncidentIoClient,
    ProviderSettings
> {
    constructor(log?: (line: string) => void) {
        super(alertRouteKind, incidentIoBackend, log);
    }

    /** The preview says when an update it shows will be refused (v3 settings a v2 write could reset). */
    async diff(id: string, olds: AlertRouteOutputs, news: AlertRouteInputs): Promise<pulumi.dynamic.DiffResult> {
        const result = await super.diff(id, olds, news);
        const record = storedV3Record(olds as unknown as Record<string, unknown>);
        if (result.changes && record && record.resets.length > 0) {
            const why = v3RefusalMessage(olds.name, id, record.resets, news.pulumiStack).replace(
                ", so nothing was written",
                ", so `pulumi up` will not write it",
            );
            this.log(`incident.io: this change will be refused: ${why}`);
        }
        return result;
    }
}

export const alertRouteHandlers = new AlertRouteHandlers();
