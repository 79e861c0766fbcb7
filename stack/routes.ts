// The company's alert routes: one row per route, as in the table of issue #3. Ids differ per
// environment and come from stack config (see config.ts); everything else is here, once.
import type { AlertRouteSpec, Condition, SameNameLevel } from "../providers/incident-io";
import { attributeIs, attributeNotSet, escalateTo, fromSource, postToSlack } from "./routeParts";

export const ENVIRONMENTS = ["production", "staging"] as const;
/** A stack name, and the owner of a route: each route is managed by exactly one stack. */
export type Environment = (typeof ENVIRONMENTS)[number];

/** `alert-routing:sameNameLiveRoute` when unset: production stops a preview that would create a second route of a
 * live route's name; staging warns. */
export function defaultSameNameLevel(environment: Environment): SameNameLevel {
    return environment === "production" ? "error" : "warn";
}

/** The ids a route refers to, by stack config group (`alert-routing:<group>.<name>`), with what each is. */
export const ID_DESCRIPTIONS = {
    alertSources: {
        alertmanager: "the Alertmanager alert source",
        checkly: "the Checkly alert source",
        email: "the sev0@ email alert source",
        grafanaCloud: "the Grafana Cloud alert source",
        planetScale: "the PlanetScale alert source",
        axiom: "the Axiom alert source",
        statusPageViews: "the Status Page Views alert source",
    },
    escalationPaths: { engineeringOnCall: "the Engineering On-Call escalation path" },
    slackChannels: { alerts: "the #alerts Slack channel" },
    alertAttributes: {
        severity: "the alert attribute holding the alert's severity",
        branch: "the alert attribute holding the database branch",
    },
} as const;

export type IdGroup = keyof typeof ID_DESCRIPTIONS;
export type IdName<G extends IdGroup> = keyof (typeof ID_DESCRIPTIONS)[G] & string;
export type AlertSource = IdName<"alertSources">;
export type AlertAttribute = IdName<"alertAttributes">;
export type EscalationPath = IdName<"escalationPaths">;
export type SlackChannel = IdName<"slackChannels">;

/** The ids one stack's config provides; only those its own routes use are required. */
export type RouteIds = { [G in IdGroup]: Partial<Record<IdName<G>, string>> };

/** One id a route refers to: `alert-routing:<group>.<name>`. */
export interface IdRef {
    group: IdGroup;
    name: string;
}

type AlertCondition = { attribute: AlertAttribute; is: string } | { attribute: AlertAttribute; notSet: true };
type SourceRef = AlertSource | { source: AlertSource; when: AlertCondition };

export interface RouteRow {
    /** Stable: the Pulumi resource name, the key under `alert-routing:adopt` and in the `routes` output. */
    key: string;
    name: string;
    owner: Environment;
    sources: readonly SourceRef[];
    escalation?: EscalationPath;
    slack: SlackChannel;
    /** Adopt the live route under `alert-routing:adopt.<key>` even though its name differs (adoption renames it). */
    adoptRenaming?: boolean;
    /**
     * Retiring a route, step one (docs/runbooks.md, "Retire a production route"): "delete" unprotects it, so the pull
     * request that then removes the row deletes it in incident.io; "keep" also sets retainOnDelete,
     * so removing the row only stops managing it. Set in code first, so no CI run re-protects it.
     */
    retire?: "delete" | "keep";
}

const severity = (value: string): AlertCondition => ({ attribute: "severity", is: value });
const noSeverity: AlertCondition = { attribute: "severity", notSet: true };
const branch = (value: string): AlertCondition => ({ attribute: "branch", is: value });
const where = (source: AlertSource, when: AlertCondition): SourceRef => ({ source, when });

export const ROUTES = [
    {
        key: "productionAlerts",
        name: "Production Alerts",
        owner: "production",
        sources: [where("alertmanager", severity("critical")), "checkly", "email", "grafanaCloud"],
        escalation: "engineeringOnCall",
        slack: "alerts",
    },
    {
        key: "productionWarnings",
        name: "Production Warnings",
        owner: "production",
        sources: [where("alertmanager", severity("warning"))],
        slack: "alerts",
    },
    {
        key: "unroutedAlerts",
        name: "Unrouted Alerts",
        owner: "production",
        sources: [where("alertmanager", noSeverity)],
        slack: "alerts",
    },
    {
        key: "databaseAlerts",
        name: "Database Alerts",
        owner: "production",
        sources: [where("planetScale", branch("main"))],
        escalation: "engineeringOnCall",
        slack: "alerts",
    },
    {
        key: "stagingNotifications",
        name: "Staging Notifications",
        owner: "staging",
        sources: ["alertmanager", "checkly"],
        slack: "alerts",
    },
    {
        key: "informational",
        name: "Informational",
        owner: "production",
        sources: ["axiom", "statusPageViews"],
        slack: "alerts",
    },
] as const satisfies readonly RouteRow[];

export type RouteKey = (typeof ROUTES)[number]["key"];

/** Alerts of one class, in the route table's terms: by an alert attribute's value, any value but one, not set, or a value no route names. */
export type AlertClassTest =
    | { attribute: AlertAttribute; is: string }
    | { attribute: AlertAttribute; isNot: string }
    | { attribute: AlertAttribute; notSet: true }
    | { attribute: AlertAttribute; anyOtherValue: true };

/** A gap or overlap the company intends (docs/coverage.md): the alerts of `source` that pass every test of `when` (all of them without). */
export interface AcceptedCoverage {
    owner: Environment;
    source: AlertSource;
    when?: AlertClassTest | readonly AlertClassTest[];
    /** Why it is intended; shown beside the finding. */
    why: string;
}

/** Intended gaps and overlaps: `npm run coverage` and `pulumi preview` show them as accepted, and `--strict` lets them pass. */
export const ACCEPTED_COVERAGE: readonly AcceptedCoverage[] = [];

/** The payload fields a route definition sets; the provider fills the rest with its documented defaults. */
export type RouteSpec = Pick<AlertRouteSpec, "name" | "alert_sources" | "channel_config"> & Partial<AlertRouteSpec>;

export interface RouteDefinition {
    key: RouteKey;
    owner: Environment;
    spec: RouteSpec;
    adoptRenaming?: boolean;
    retire?: RouteRow["retire"];
}

export function routesOwnedBy(environment: Environment): RouteRow[] {
    return ROUTES.filter((row) => row.owner === environment);
}

/** Every id a route refers to, in table order. */
export function idsUsedBy(row: RouteRow): IdRef[] {
    const refs: IdRef[] = [];
    for (const ref of row.sources) {
        if (typeof ref === "string") refs.push({ group: "alertSources", name: ref });
        else refs.push({ group: "alertSources", name: ref.source }, { group: "alertAttributes", name: ref.when.attribute });
    }
    if (row.escalation) refs.push({ group: "escalationPaths", name: row.escalation });
    refs.push({ group: "slackChannels", name: row.slack });
    return refs;
}

/** The ids a stack's config must provide: those its own routes refer to, each once, in config order. */
export function idsRequiredBy(environment: Environment): IdRef[] {
    const used = new Set(routesOwnedBy(environment).flatMap((row) => idsUsedBy(row).map((ref) => `${ref.group}.${ref.name}`)));
    return (Object.keys(ID_DESCRIPTIONS) as IdGroup[])
        .flatMap((group) => Object.keys(ID_DESCRIPTIONS[group]).map((name) => ({ group, name })))
        .filter((ref) => used.has(`${ref.group}.${ref.name}`));
}

/** The routes one stack owns, as incident.io payloads. Pure: ids in, specs out. */
export function routeDefinitions(environment: Environment, ids: RouteIds): RouteDefinition[] {
    return routesOwnedBy(environment).map((row) => ({
        key: row.key as RouteKey,
        owner: row.owner,
        spec: routeSpec(row, ids),
        ...(row.adoptRenaming ? { adoptRenaming: true } : {}),
        ...(row.retire ? { retire: row.retire } : {}),
    }));
}

export function routeSpec(row: RouteRow, ids: RouteIds): RouteSpec {
    const id = (group: IdGroup, name: string): string => {
        const value = (ids[group] as Record<string, string | undefined>)[name];
        // config.ts reports missing ids before any route is built; reaching this is a bug.
        if (!value) throw new Error(`route "${row.key}" needs alert-routing:${group}.${name}, which is not set`);
        return value;
    };
    const condition = (when: AlertCondition): Condition => {
        const attributeId = id("alertAttributes", when.attribute);
        return "notSet" in when ? attributeNotSet(attributeId) : attributeIs(attributeId, when.is);
    };
    return {
        name: row.name,
        alert_sources: row.sources.map((ref) =>
            typeof ref === "string" ? fromSource(id("alertSources", ref)) : fromSource(id("alertSources", ref.source), condition(ref.when)),
        ),
        ...(row.escalation ? { escalation_config: escalateTo(id("escalationPaths", row.escalation)) } : {}),
        channel_config: [postToSlack(id("slackChannels", row.slack))],
    };
}
