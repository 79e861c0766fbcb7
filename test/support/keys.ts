// The kinds of API key the tests cover, as GET /v1/identity answers for them (the emulator's
// `identity` option): a key that can write, one that can only read, one whose on-call scope is held
// only for a team, and an old-style key with global_access and neither scope.
import type { EmulatedIdentity } from "../../dev/emulator";

export const KEY_KINDS = {
    write: { name: "Alert routing (Pulumi)", roles: ["viewer", "on_call_editor"] },
    viewerOnly: { name: "Read-only key", roles: ["viewer"] },
    teamScoped: {
        name: "Platform on-call key",
        roles: ["viewer"],
        team_roles: ["on_call_editor"],
        teams: [{ id: "01G0J1EXE7AXZ2C93K61WBPYEH", name: "Platform" }],
    },
    globalAccess: { name: "Old deploy key", roles: ["incident_creator", "global_access"] },
} satisfies Record<string, Partial<EmulatedIdentity>>;
