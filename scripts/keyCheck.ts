// The key check every script that talks to incident.io makes first: one GET /v1/identity, before
// any other request. It names the key on stderr, reminds the operator to revoke a key that can
// write (the company's rule for these keys), and stops a key without the scope the script needs.
import {
    apiKeysPage,
    canWrite,
    keyProblem,
    printableName,
    type IncidentIoClient,
    type KeyIdentity,
    type KeyNeed,
} from "../providers/incident-io";
import type { ScriptIo } from "./cli";

export interface KeyCheck {
    identity?: KeyIdentity;
    /** Why the script must stop here (nothing was read or written); undefined when it may go on. */
    problem?: string;
}

/**
 * `need` is what the script is about to do; `done` says what was not done when it stops
 * ("Nothing was read." / "Nothing was written."). With `quiet`, only a problem is printed.
 */
export async function checkKey(client: IncidentIoClient, io: ScriptIo, need: KeyNeed, opts: { quiet?: boolean } = {}): Promise<KeyCheck> {
    let identity: KeyIdentity;
    try {
        identity = await client.getIdentity();
    } catch (error) {
        return { problem: `could not check the API key: ${(error as Error).message}` };
    }
    const problem = keyProblem(identity, need);
    if (problem) return { identity, problem };
    if (!opts.quiet) {
        const can = canWrite(identity) ? "can read and change alert routes" : "can read alert routes";
        io.error(`incident.io API key ${printableName(identity.name)} (${can})\n`);
        if (canWrite(identity)) {
            io.error(`This key can change alert routes: revoke it when you are done (${apiKeysPage(identity)}).\n`);
        }
    }
    return { identity };
}
