// What the API key may do, from GET /v1/identity, checked before the first write (and at the start
// of every script), so a key without the right scopes stops before any request that changes
// something instead of at the first 403 half-way through `pulumi up`. Pure apart from the cache.
//
// Evidence (incident.io's OpenAPI document, /work/shared/incident-io/openapi.json; facts in
// dev/reference/): IdentityV1 is {name, roles, team_roles, teams, dashboard_url}, all required.
// - `viewer` is "View data, like public incidents and organization settings" (APIKeyRoleV1's
//   example description: "can view data, like public incidents and organization settings").
// - `on_call_editor` is "Create and manage on-call resources": the on-call endpoints ask for a key
//   with "View data" or "Create and manage on-call resources", and the roles enum names on_call_viewer
//   and on_call_editor for that pair; incident-io/terraform-provider-incident docs/resources/api_key.md
//   gives a team's on-call key team_role_names ["schedules_editor", "on_call_editor"].
// - `team_roles` "apply to requests that operate on resources owned by any of the teams in the
//   'teams' array": alert routes this project manages are owned by no team, so a team role is not
//   enough for them.
// - `global_access` is the older keys' access to private incidents (the private-incident access log
//   gives `global_access` as how access was granted; the audit-log example shows a key with
//   "incident_creator,global_access"): it grants neither scope, so it never stands in for one.
import { createHash } from "node:crypto";

export interface KeyIdentity {
    /** The name given to the key in the dashboard (not the key). */
    name: string;
    roles: string[];
    teamRoles: string[];
    teams: Array<{ id: string; name: string }>;
    /** The organisation's dashboard, checked to be an https URL; undefined otherwise. */
    dashboardUrl?: string;
}

export const READ_ROLE = "viewer";
export const WRITE_ROLE = "on_call_editor";
const GLOBAL_ACCESS_ROLE = "global_access";

/** Each role as the dashboard's API key page words it. */
export const SCOPE_WORDS: Record<string, string> = {
    [READ_ROLE]: "View data, like public incidents and organization settings",
    [WRITE_ROLE]: "Create and manage on-call resources",
};

/** What a run needs: scripts that only read need `viewer`; anything that writes also `on_call_editor`. */
export type KeyNeed = "read" | "write";

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The key's name as it is safe to print: quoted, control characters escaped (JSON escapes C0 itself). */
export function printableName(name: string): string {
    return JSON.stringify(name).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The answer of GET /v1/identity, checked; throws naming what is missing or wrong. */
export function identityFromResponse(body: unknown): KeyIdentity {
    const identity = (body as { identity?: unknown } | undefined)?.identity as Record<string, unknown> | undefined;
    if (!identity || typeof identity !== "object") throw new Error("the answer has no identity object");
    const strings = (field: string, required: boolean): string[] => {
        const value = identity[field];
        // team_roles and teams are required by the spec, but absent only ever means "none": that
        // can only narrow what the key may do, never widen it.
        if (value === undefined && !required) return [];
        if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
            throw new Error(`identity.${field} is not a list of role names`);
        return value as string[];
    };
    if (typeof identity.name !== "string") throw new Error("identity.name is not a string");
    const teams = identity.teams === undefined ? [] : identity.teams;
    if (!Array.isArray(teams) || teams.some((t) => typeof t?.id !== "string" || typeof t?.name !== "string")) {
        throw new Error("identity.teams is not a list of teams with an id and a name");
    }
    const url = typeof identity.dashboard_url === "string" ? identity.dashboard_url.replace(/\/+$/, "") : "";
    return {
        name: identity.name,
        roles: strings("roles", true),
        teamRoles: strings("team_roles", false),
        teams: (teams as Array<{ id: string; name: string }>).map(({ id, name }) => ({ id, name })),
        // Printed as part of a link: only an https URL without spaces or control characters is.
        dashboardUrl: /^https:\/\/[^\s"'`\\<>]+$/.test(url) && !CONTROL.test(url) ? url : undefined,
    };
}

export const canRead = (identity: KeyIdentity): boolean => identity.roles.includes(READ_ROLE);
export const canWrite = (identity: KeyIdentity): boolean => canRead(identity) && identity.roles.includes(WRITE_ROLE);

/** Where the key's scopes are changed. */
export function apiKeysPage(identity: KeyIdentity): string {
    return identity.dashboardUrl ? `${identity.dashboardUrl}/settings/api-keys` : "incident.io → Settings → API keys";
}

/**
 * Why the key cannot do what the run needs, as one message naming each missing scope as the
 * dashboard words it and the page to add it on; undefined when it can.
 */
export function keyProblem(identity: KeyIdentity, need: KeyNeed): string | undefined {
    const needed = need === "write" ? [READ_ROLE, WRITE_ROLE] : [READ_ROLE];
    const missing = needed.filter((role) => !identity.roles.includes(role));
    if (missing.length === 0) return undefined;
    const scope = (role: string) => `"${SCOPE_WORDS[role]}" (${role})`;
    const notes: string[] = [];
    const teamOnly = missing.filter((role) => identity.teamRoles.includes(role));
    if (teamOnly.length > 0) {
        const teams = identity.teams.map((t) => printableName(t.name)).join(", ") || "its teams";
        notes.push(
            `it holds ${teamOnly.map(scope).join(" and ")} only for the team(s) ${teams}, which covers resources those teams own; ` +
                "the alert routes here are owned by no team, so the scope is needed for the whole account",
        );
    }
    if (identity.roles.includes(GLOBAL_ACCESS_ROLE)) {
        notes.push('its "global_access" role (older keys\' access to private incidents) grants neither scope');
    }
    const what = need === "write" ? "write alert routes" : "read alert routes";
    return (
        `the incident.io API key ${printableName(identity.name)} cannot ${what}: it lacks ${missing.map(scope).join(" and ")}` +
        `${notes.length ? `; ${notes.join("; ")}` : ""}. ` +
        `Add ${missing.length > 1 ? "them" : "it"} to the key for the whole account (not for a team), or create a key with ` +
        `${needed.map(scope).join(" and ")}: ${apiKeysPage(identity)}`
    );
}

/** A line for stderr when a read-only key is used where `up` will write: preview works, up will not. */
export function readOnlyWarning(identity: KeyIdentity): string | undefined {
    const problem = keyProblem(identity, "write");
    if (!problem || !canRead(identity)) return undefined;
    return `incident.io: this preview works with the key ${printableName(identity.name)}, but \`pulumi up\` will stop before writing: ${problem}`;
}

const checked = new Map<string, Promise<KeyIdentity>>();
const noted = new Set<string>();

/** Names a cache entry: the API and a hash of the key (the key itself is not kept). */
const entryOf = (baseUrl: string, apiKey: string) => `${baseUrl} ${createHash("sha256").update(apiKey).digest("hex")}`;

/** True the first time it is asked for this API and key in this process: a note is printed once. */
export function firstNote(baseUrl: string, apiKey: string): boolean {
    const id = entryOf(baseUrl, apiKey);
    if (noted.has(id)) return false;
    noted.add(id);
    return true;
}

/**
 * The key's identity, asked for once per process for each API and key. A failed call is not
 * cached, so the next write asks again.
 */
export function identityOnce(baseUrl: string, apiKey: string, fetch: () => Promise<KeyIdentity>): Promise<KeyIdentity> {
    const id = entryOf(baseUrl, apiKey);
    let pending = checked.get(id);
    if (!pending) {
        pending = fetch();
        checked.set(id, pending);
        pending.catch(() => checked.delete(id));
    }
    return pending;
}
