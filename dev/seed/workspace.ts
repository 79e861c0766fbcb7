// An incident.io workspace as the company has it before the first adoption, seeded into the
// emulator: both environments' alert sources (two of them email, two Alertmanager), attributes,
// escalation paths (more than one page), the six live routes made in the dashboard, and enough
// other routes that the route list takes several pages.
import { withDefaults } from "../../providers/incident-io";
import { routeDefinitions, type RouteIds } from "../../stack/routes";
import type { AlertSourcePayload, IncidentIoEmulator } from "../../dev/emulator";
import { sourcesOwnedBy } from "../../stack/sources";

/** Tokens the sources hold: must never appear in any script's output. */
export const SOURCE_TOKEN_CANARY = "canary-alert-source-token-7f3a9";

export const LIVE_IDS = {
    production: {
        alertSources: {
            alertmanager: "01KHSNW67SZJ1KGWEMA9C0GPT7",
            checkly: "01HZ7GE7CASMF15RWV1QFCMKTQ",
            email: "01J0EMA1SEV000000000000000",
            grafanaCloud: "01J0GRAFANA000000000000000",
            planetScale: "01J0P1ANETSCA1E00000000000",
            axiom: "01J0AX10M00000000000000000",
            statusPageViews: "01J0STATVSPAGE000000000000",
        },
        escalationPaths: { engineeringOnCall: "01J00NCA110000000000000000" },
        slackChannels: { alerts: "C04ALERTS01" },
        alertAttributes: { severity: "01J0SEVER1TY00000000000000", branch: "01J0BRANCH0000000000000000" },
    },
    staging: {
        alertSources: { alertmanager: "01KH7FNXWPMH6KPCQTYJJY947G", checkly: "01KKZJERF1HQFJRE3XWFZ0NV19" },
        escalationPaths: {},
        slackChannels: { alerts: "C04ALERTS01" },
        alertAttributes: {},
    },
} satisfies Record<string, RouteIds>;

/** Route ids the seed gives the six live routes, by key. */
export const LIVE_ROUTE_IDS: Record<string, string> = {
    productionAlerts: "01J0R0VTEPR0DA1ERTS0000000",
    productionWarnings: "01J0R0VTEPR0DWARN000000000",
    unroutedAlerts: "01J0R0VTEVNR0VTED000000000",
    databaseAlerts: "01J0R0VTEDATABASE000000000",
    informational: "01J0R0VTE1NF0RMAT10NA10000",
    stagingNotifications: "01J0R0VTESTAG1NG0000000000",
};

export interface SeedOptions {
    /** Unmanaged routes besides the six ("Team 001 alerts", ...). Default 120 (three pages of 50). */
    otherRoutes?: number;
    /** Escalation paths besides Engineering On-Call and Support. Default 30 (two pages of 25). */
    otherEscalationPaths?: number;
}

const pad = (n: number, width = 3) => String(n).padStart(width, "0");
/** A valid-looking id (Crockford base 32: no I, L, O, U) that sorts after the seeded ones. */
const fillerId = (prefix: string, n: number) => `${prefix}${pad(n, 26 - prefix.length)}`;

export function seedWorkspace(emu: IncidentIoEmulator, opts: SeedOptions = {}): void {
    const p = LIVE_IDS.production.alertSources;
    // The stacks' sources as the dashboard holds them: what stack/sources.ts defines (so adoption writes
    // nothing), stored the way the API stores it (literals re-encoded, expressions in its order).
    const a = LIVE_IDS.production.alertAttributes;
    for (const stack of ["production", "staging"] as const) {
        for (const row of sourcesOwnedBy(stack)) {
            const id = (LIVE_IDS[stack].alertSources as Record<string, string>)[row.key];
            emu.addAlertSource({ id, ...(row.spec(a) as unknown as AlertSourcePayload), secret_token: `${SOURCE_TOKEN_CANARY}-${id}` });
        }
    }
    emu.addAlertSource({ id: "01J0EMA1SVPP0RT00000000000", name: "Support inbox", source_type: "email" });

    emu.addAlertAttribute({ id: a.severity, name: "severity" });
    emu.addAlertAttribute({ id: a.branch, name: "branch" });
    emu.addAlertAttribute({ id: "01J0TEAM000000000000000000", name: "team" });

    emu.addEscalationPath({ id: LIVE_IDS.production.escalationPaths.engineeringOnCall, name: "Engineering On-Call" });
    emu.addEscalationPath({ id: "01J0SVPP0RT000000000000000", name: "Support" });
    for (let i = 1; i <= (opts.otherEscalationPaths ?? 30); i++)
        emu.addEscalationPath({ id: fillerId("01J1PATH", i), name: `Team ${pad(i)} on-call` });

    for (const stack of ["production", "staging"] as const) {
        for (const def of routeDefinitions(stack, LIVE_IDS[stack]))
            emu.seedRoute(withDefaults(def.spec) as never, { id: LIVE_ROUTE_IDS[def.key] });
    }
    for (let i = 1; i <= (opts.otherRoutes ?? 120); i++) {
        emu.seedRoute(
            withDefaults({
                name: `Team ${pad(i)} alerts`,
                alert_sources: [{ alert_source_id: p.axiom, condition_groups: [] }],
                channel_config: [],
            }) as never,
            { id: fillerId("01J2R0VTE", i) },
        );
    }
}
