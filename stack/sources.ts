// The alert sources and alert attributes the stacks' routes stand on: one row each, like the routes
// table. Ids are not here: each row is adopted from the live organisation through the id in
// `alert-routing:alertSources.<key>` / `alertAttributes.<key>` (config.ts), never created to take
// one over (a new source would have a new URL and token, and every sender would break).
// Whether "severity=critical" routes anything depends on the Alertmanager source binding the
// severity attribute to the alert's label: that binding is here, in code.
import type { AlertAttributeSpec, AlertSourceSpec } from "../providers/incident-io";
import {
    ID_DESCRIPTIONS,
    idsRequiredBy,
    type AlertAttribute,
    type AlertSource,
    type Environment,
    type IdGroup,
    type IdRef,
} from "./routes";
import { attributeFrom, payloadField, template } from "./sourceParts";

export interface AttributeRow {
    key: AlertAttribute;
    owner: Environment;
    spec: AlertAttributeSpec;
}

/** Attributes are workspace-wide; production's routes test them, so production manages them. */
export const ATTRIBUTES = [
    { key: "severity", owner: "production", spec: { name: "severity", type: "String", array: false } },
    { key: "branch", owner: "production", spec: { name: "branch", type: "String", array: false } },
] as const satisfies readonly AttributeRow[];

/** The ids a source's template refers to: the attributes it sets. */
export type AttributeIds = Partial<Record<AlertAttribute, string>>;

export interface SourceRow {
    key: AlertSource;
    owner: Environment;
    /** The definition, given the attribute ids (from the AlertAttribute resources). */
    spec: (attributes: AttributeIds) => AlertSourceSpec;
}

const TITLE: [string, string] = ["payload.title", "Title"];
const DESCRIPTION: [string, string] = ["payload.description", "Description"];
const alertname = payloadField("alertname", "Alert name", "$.labels.alertname");
const severity = payloadField("severity", "Severity", "$.labels.severity");
const branch = payloadField("branch", "Branch", "$.branch");

const need = (ids: AttributeIds, key: AlertAttribute, source: string): string => {
    const id = ids[key];
    // config.ts requires every attribute a stack's sources bind; reaching this is a bug.
    if (!id) throw new Error(`alert source "${source}" binds the ${key} attribute, whose id is not known`);
    return id;
};

export const SOURCES = [
    {
        key: "alertmanager",
        owner: "production",
        spec: (ids) => ({
            name: "Alertmanager (Production)",
            source_type: "alertmanager",
            // severity=critical/warning routes depend on this binding of the alert's severity label.
            template: template(
                TITLE,
                DESCRIPTION,
                [alertname, severity],
                [attributeFrom(need(ids, "severity", "alertmanager"), "severity")],
            ),
        }),
    },
    {
        key: "checkly",
        owner: "production",
        spec: () => ({ name: "Checkly (Production)", source_type: "checkly", template: template(TITLE, DESCRIPTION) }),
    },
    {
        key: "email",
        owner: "production",
        spec: () => ({
            name: "sev0@ email",
            source_type: "email",
            template: template(["payload.subject", "Subject"], ["payload.text", "Body"]),
            email_options: { redactions: [] },
        }),
    },
    {
        key: "grafanaCloud",
        owner: "production",
        spec: () => ({ name: "Grafana Cloud", source_type: "grafana", template: template(TITLE, DESCRIPTION) }),
    },
    {
        key: "planetScale",
        owner: "production",
        spec: (ids) => ({
            name: "PlanetScale webhooks",
            source_type: "http_custom",
            template: template(TITLE, DESCRIPTION, [branch], [attributeFrom(need(ids, "branch", "planetScale"), "branch")]),
            http_custom_options: {
                transform_expression:
                    "return { title: $.title, description: $.description, status: $.status, deduplication_key: $.id, metadata: { branch: $.branch } }",
                deduplication_key_path: "$.id",
            },
        }),
    },
    {
        key: "axiom",
        owner: "production",
        spec: () => ({ name: "Axiom", source_type: "http", template: template(TITLE, DESCRIPTION) }),
    },
    {
        key: "statusPageViews",
        owner: "production",
        spec: () => ({ name: "Status Page Views", source_type: "status_page_views", template: template(TITLE, DESCRIPTION) }),
    },
    {
        key: "alertmanager",
        owner: "staging",
        spec: () => ({ name: "Alertmanager (Staging)", source_type: "alertmanager", template: template(TITLE, DESCRIPTION, [alertname]) }),
    },
    {
        key: "checkly",
        owner: "staging",
        spec: () => ({ name: "Checkly (Staging)", source_type: "checkly", template: template(TITLE, DESCRIPTION) }),
    },
] as const satisfies readonly SourceRow[];

export function sourcesOwnedBy(environment: Environment): SourceRow[] {
    return SOURCES.filter((row) => row.owner === environment);
}

export function attributesOwnedBy(environment: Environment): AttributeRow[] {
    return ATTRIBUTES.filter((row) => row.owner === environment);
}

/** A source's name and type: what adoption checks the live source against (a name that differs is
 * refused, a type that differs can never be adopted). Neither depends on the attribute ids, so the
 * definition is built with placeholders for them. */
export function sourceIdentity(row: SourceRow): { name: string; source_type: string } {
    const placeholders = Object.fromEntries(ATTRIBUTES.map((a) => [a.key, `<${a.key}>`])) as AttributeIds;
    const { name, source_type } = row.spec(placeholders);
    return { name, source_type };
}

/** Every id a stack's config must hold, each once, in config order: the ids its routes refer to, and
 * the adoption ids of the sources and attributes it manages (the token path's Alertmanager source among them). */
export function idsNeededBy(environment: Environment): IdRef[] {
    const needed = new Set([
        ...idsRequiredBy(environment).map((ref) => `${ref.group}.${ref.name}`),
        ...sourcesOwnedBy(environment).map((row) => `alertSources.${row.key}`),
        ...attributesOwnedBy(environment).map((row) => `alertAttributes.${row.key}`),
    ]);
    return (Object.keys(ID_DESCRIPTIONS) as IdGroup[])
        .flatMap((group) => Object.keys(ID_DESCRIPTIONS[group]).map((name) => ({ group, name })))
        .filter((ref) => needed.has(`${ref.group}.${ref.name}`));
}
