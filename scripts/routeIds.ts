// Which stack config key (`alert-routing:<group>.<name>`) each id in a live route belongs to, read
// off the route's structure against its row in stack/routes.ts. Pure. Shared by import-routes
// (files only) and discover-config (files plus the workspace's alert sources and attributes).
//
// It never guesses: where the structure and the hints leave more than one key (two unconditioned
// sources of one route, both of a type that fits), the finding lists every candidate key.
import { escapeControl, type AlertRouteSpec, type ParamBinding } from "../providers/incident-io";
import type { ID_DESCRIPTIONS } from "../stack/routes";
import { ROUTES, type IdGroup, type IdRef, type RouteIds, type RouteRow } from "../stack/routes";

export type IdKind = "alert source" | "escalation path" | "slack channel" | "alert attribute";

export interface IdFinding {
    kind: IdKind;
    id: string;
    /** 1: the key; more: the candidates; 0: the route's definition has no place for it. */
    keys: IdRef[];
}

/** What the workspace says about an alert source or attribute, when known (discover-config). */
export interface Described {
    name: string;
    source_type?: string;
}

/** How discover-config recognises an id in the workspace, and how a live id is checked against a key. */
export interface Matcher {
    /** Alert sources: the source types that fit (incident.io's `source_type`). */
    sourceTypes?: readonly string[];
    /** The name must match (case-insensitive); for attributes and escalation paths, and sources without a type of their own. */
    name?: RegExp;
    /** Among several that fit, those whose name matches this are preferred. */
    preferName?: RegExp;
    /** Only a live route can tell (no list endpoint in the API for it). */
    fromRoutesOnly?: true;
}

/**
 * The rules, one per key of ID_DESCRIPTIONS. Source types are incident.io's `source_type` enum
 * (AlertSourceV2 in the spec): there is no PlanetScale or Axiom type (they post to an HTTP
 * source), so those are recognised by name.
 */
export const MATCHERS: { [G in IdGroup]: Record<keyof (typeof ID_DESCRIPTIONS)[G], Matcher> } = {
    alertSources: {
        alertmanager: { sourceTypes: ["alertmanager"] },
        checkly: { sourceTypes: ["checkly"] },
        email: { sourceTypes: ["email"], preferName: /sev0/i },
        grafanaCloud: { sourceTypes: ["grafana"] },
        planetScale: { name: /planet\s*scale/i },
        axiom: { name: /axiom/i },
        statusPageViews: { sourceTypes: ["status_page_views"] },
    },
    escalationPaths: { engineeringOnCall: { name: /^engineering[\s-]*on[\s-]*call$/i } },
    slackChannels: { alerts: { fromRoutesOnly: true } },
    alertAttributes: { severity: { name: /^severity$/i }, branch: { name: /^branch$/i } },
};

export function matcherOf(ref: IdRef): Matcher {
    return (MATCHERS[ref.group] as Record<string, Matcher>)[ref.name];
}

/** Whether a described object can be the one a key names (hard rules only: type, or name when no type). */
export function fits(ref: IdRef, d: Described): boolean {
    const m = matcherOf(ref);
    if (m.sourceTypes) return d.source_type !== undefined && m.sourceTypes.includes(d.source_type);
    if (m.name) return m.name.test(d.name);
    return false;
}

export const configKey = (ref: IdRef) => `alert-routing:${ref.group}.${ref.name}`;

const literalsOf = (b?: ParamBinding): string[] =>
    [...(b?.array_value ?? []), ...(b?.value ? [b.value] : [])].map((v) => v.literal).filter((v): v is string => !!v);

const ATTRIBUTE_SUBJECT = /alert\.attributes\.([0-9A-Za-z]+)/g;

export interface Hints {
    /** Alert sources and attributes by id, from the workspace. */
    described?: Map<string, Described>;
    /** Ids already known for the route's stack (stack file, or found in other routes). */
    known?: RouteIds;
}

/** Every id a route refers to, with the key(s) it can belong to. `row` undefined: not in stack/routes.ts. */
export function idsInRoute(spec: AlertRouteSpec, row: RouteRow | undefined, hints: Hints = {}): IdFinding[] {
    const findings: IdFinding[] = [];
    const knownValue = (ref: IdRef) => (hints.known?.[ref.group] as Record<string, string | undefined> | undefined)?.[ref.name];
    /** Narrows candidate keys for one id: what the workspace says about it, then ids already known. */
    const narrow = (id: string, keys: IdRef[]): IdRef[] => {
        const d = hints.described?.get(id);
        let out = d ? keys.filter((k) => fits(k, d)) : keys;
        const exact = out.filter((k) => knownValue(k) === id);
        if (exact.length === 1) return exact;
        if (out.length > 1) out = out.filter((k) => knownValue(k) === undefined || knownValue(k) === id);
        return out;
    };

    // Alert sources: a row's conditioned sources pair with the route's conditioned ones, the
    // unconditioned with the unconditioned; within each, a key holds one id.
    const rowSources = (row?.sources ?? []).map((ref) =>
        typeof ref === "string"
            ? { key: { group: "alertSources", name: ref } as IdRef, when: undefined }
            : { key: { group: "alertSources", name: ref.source } as IdRef, when: ref.when },
    );
    const sourceFindings = spec.alert_sources.map((s) => {
        const conditioned = (s.condition_groups ?? []).some((g) => (g.conditions ?? []).length > 0);
        const keys = rowSources.filter((r) => (r.when !== undefined) === conditioned).map((r) => r.key);
        return { finding: { kind: "alert source" as const, id: s.alert_source_id, keys: narrow(s.alert_source_id, keys) }, source: s };
    });
    settle(sourceFindings.map((f) => f.finding));
    findings.push(...sourceFindings.map((f) => f.finding));

    // Attributes: those in a source's conditions belong to the attributes its candidate keys condition on.
    const attributeKeys = new Map<string, IdRef[]>();
    for (const { finding, source } of sourceFindings) {
        const names = [
            ...new Set(
                rowSources.filter((r) => r.when && finding.keys.some((k) => k.name === r.key.name)).map((r) => r.when!.attribute as string),
            ),
        ];
        for (const m of JSON.stringify(source.condition_groups ?? []).matchAll(ATTRIBUTE_SUBJECT)) {
            const seen = attributeKeys.get(m[1]) ?? [];
            for (const name of names) if (!seen.some((k) => k.name === name)) seen.push({ group: "alertAttributes", name });
            attributeKeys.set(m[1], seen);
        }
    }
    const elsewhere = JSON.stringify({ ...spec, alert_sources: [] }).matchAll(ATTRIBUTE_SUBJECT);
    for (const m of elsewhere) if (!attributeKeys.has(m[1])) attributeKeys.set(m[1], []);
    for (const [id, keys] of attributeKeys) findings.push({ kind: "alert attribute", id, keys: narrow(id, keys) });

    const pathKeys: IdRef[] = row?.escalation ? [{ group: "escalationPaths", name: row.escalation }] : [];
    const paths = (spec.escalation_config?.escalation_targets ?? []).flatMap((t) => literalsOf(t.escalation_paths));
    for (const id of new Set(paths)) findings.push({ kind: "escalation path", id, keys: pathKeys });

    const slackKeys: IdRef[] = row ? [{ group: "slackChannels", name: row.slack }] : [];
    const channels = (spec.channel_config ?? []).flatMap((c) => literalsOf(c.slack_targets?.binding));
    for (const id of new Set(channels)) findings.push({ kind: "slack channel", id, keys: slackKeys });
    return findings;
}

/** A key settled for one id is no candidate for another id of the same route. */
function settle(findings: IdFinding[]): void {
    for (let changed = true; changed;) {
        changed = false;
        for (const settled of findings.filter((f) => f.keys.length === 1)) {
            for (const other of findings) {
                if (other === settled || other.id === settled.id || other.keys.length < 2) continue;
                const before = other.keys.length;
                other.keys = other.keys.filter((k) => !(k.group === settled.keys[0].group && k.name === settled.keys[0].name));
                if (other.keys.length !== before) changed = true;
            }
        }
    }
}

export function rowNamed(name: string): RouteRow | undefined {
    return ROUTES.find((r) => r.name === name);
}

/** "alert source 01… = alert-routing:alertSources.alertmanager", or the candidates, or why none. */
export function describeFinding(f: IdFinding): string {
    // The id is the backup's text (a Slack literal, a source id): shown escaped.
    const id = escapeControl(f.id);
    if (f.keys.length === 1) return `${f.kind} ${id} = ${configKey(f.keys[0])}`;
    if (f.keys.length > 1)
        return `${f.kind} ${id} = one of ${f.keys.map(configKey).join(", ")} (the route alone cannot tell; npm run discover-config reads each source's type)`;
    return `${f.kind} ${id} (no key: its definition in stack/routes.ts has no place for it)`;
}

export interface KeyResolution {
    ref: IdRef;
    /** Distinct ids the routes settle on for this key (more than one: a conflict). */
    ids: string[];
    /** Ids that may belong to this key but that no route settles. */
    candidates: string[];
}

/**
 * Findings for several routes of one stack. A key settled in one route is known in the others (so
 * a source settled by one route's structure narrows another's), as long as no two routes settle it
 * differently. Returns each route's findings and, per key, what the routes settle.
 */
export function idsAcrossRoutes(
    routes: Array<{ spec: AlertRouteSpec; row: RouteRow | undefined }>,
    hints: Hints = {},
): { findings: IdFinding[][]; keys: Map<string, KeyResolution> } {
    let known: RouteIds = structuredClone(hints.known ?? ({} as RouteIds));
    for (let round = 0; ; round++) {
        const findings = routes.map((r) => idsInRoute(r.spec, r.row, { ...hints, known }));
        const keys = new Map<string, KeyResolution>();
        const entry = (ref: IdRef) => {
            const k = configKey(ref);
            if (!keys.has(k)) keys.set(k, { ref, ids: [], candidates: [] });
            return keys.get(k)!;
        };
        for (const f of findings.flat()) {
            if (f.keys.length === 1) {
                const e = entry(f.keys[0]);
                if (!e.ids.includes(f.id)) e.ids.push(f.id);
            } else
                for (const ref of f.keys) {
                    const e = entry(ref);
                    if (!e.candidates.includes(f.id)) e.candidates.push(f.id);
                }
        }
        for (const e of keys.values()) e.candidates = e.candidates.filter((id) => !e.ids.includes(id));
        const next: RouteIds = structuredClone(known);
        let grew = false;
        for (const e of keys.values()) {
            const group = ((next as Record<string, Record<string, string>>)[e.ref.group] ??= {});
            if (e.ids.length === 1 && group[e.ref.name] === undefined) {
                group[e.ref.name] = e.ids[0];
                grew = true;
            }
        }
        if (!grew || round > 20) return { findings, keys };
        known = next;
    }
}
