// The emulated key's identity (GET /v1/identity) and the scopes each endpoint asks of it.
//
// Evidence: incident.io's OpenAPI document (IdentityV1: name, roles, team_roles, teams,
// dashboard_url, all required); the on-call endpoints ask for "View data" (viewer) or "Create and
// manage on-call resources" (on_call_editor) to read, and writing on-call resources is
// on_call_editor's. `team_roles` only apply to resources owned by the key's teams: the emulator's
// routes are owned by no team, so only account-level `roles` count here.
import { errorReply, json, type Reply } from "./replies";

export interface EmulatedIdentity {
    name: string;
    roles: string[];
    team_roles: string[];
    teams: Array<{ id: string; name: string }>;
    dashboard_url: string;
}

/** A key with both scopes the project needs, as most tests use. */
export const DEFAULT_IDENTITY: EmulatedIdentity = {
    name: "Emulator key",
    roles: ["viewer", "on_call_editor"],
    team_roles: [],
    teams: [],
    dashboard_url: "https://app.incident.io/emulated-org",
};

export function identityReply(identity: EmulatedIdentity): Reply {
    return json(200, { identity });
}

const READ_ROLES = ["viewer", "on_call_viewer", "on_call_editor"];
const WRITE_ROLE = "on_call_editor";

/** The 403 the API answers when the key lacks the scope a request needs; undefined when it has it. */
export function scopeRefusal(identity: EmulatedIdentity, method: string, path: string): Reply | undefined {
    if (!path.startsWith("/v2/")) return undefined;
    const allowed = method === "GET" ? identity.roles.some((r) => READ_ROLES.includes(r)) : identity.roles.includes(WRITE_ROLE);
    if (allowed) return undefined;
    return errorReply(403, "authorization_error", "insufficient_permissions", "The API key does not have the required scopes");
}
