// The key check: GET /v1/identity read and checked (identityFromResponse), what each kind of key may
// do (keyProblem: viewer-only, write, team-scoped, old-style global_access), and the emulator's
// answer and 403s for each kind.
import * as assert from "node:assert/strict";
import { describe, test } from "node:test";

import { DEFAULT_IDENTITY, IncidentIoEmulator, validateAgainstSpec, type EmulatedIdentity } from "../../dev/emulator";
import { IncidentIoClient } from "../../providers/incident-io/client/client";
import {
    canWrite,
    identityFromResponse,
    identityOnce,
    keyProblem,
    printableName,
    readOnlyWarning,
    type KeyIdentity,
} from "../../providers/incident-io/identity";
import { KEY_KINDS } from "../support/keys";

const identityOf = (kind: Partial<EmulatedIdentity>): KeyIdentity => identityFromResponse({ identity: { ...DEFAULT_IDENTITY, ...kind } });

describe("identityFromResponse: the answer is checked before it is trusted", () => {
    const cases: Array<[string, unknown, RegExp]> = [
        ["no identity object", { name: "x" }, /no identity object/],
        ["roles missing", { identity: { name: "k", dashboard_url: "https://app.incident.io/o" } }, /identity\.roles/],
        ["roles not strings", { identity: { name: "k", roles: [1] } }, /identity\.roles/],
        ["name missing", { identity: { roles: ["viewer"] } }, /identity\.name/],
        ["teams without ids", { identity: { name: "k", roles: [], teams: [{ name: "t" }] } }, /identity\.teams/],
    ];
    for (const [name, body, error] of cases) {
        test(name, () => assert.throws(() => identityFromResponse(body), error));
    }

    test("a dashboard_url that is not a plain https URL is not printed", () => {
        for (const url of ["http://app.incident.io/o", "https://app.incident.io/o; rm -rf /", "javascript:alert(1)", "https://a/\u0007"]) {
            assert.equal(identityFromResponse({ identity: { name: "k", roles: [], dashboard_url: url } }).dashboardUrl, undefined, url);
        }
        assert.equal(
            identityFromResponse({ identity: { name: "k", roles: [], dashboard_url: "https://app.incident.io/my-org/" } }).dashboardUrl,
            "https://app.incident.io/my-org",
        );
    });

    test("the key's name is printed quoted with control characters escaped", () => {
        assert.equal(printableName("a\nb\u009bc"), '"a\\nb\\u009bc"');
    });
});

describe("keyProblem: what each kind of key may do", () => {
    test("a write key may read and write", () => {
        const key = identityOf(KEY_KINDS.write);
        assert.equal(keyProblem(key, "read"), undefined);
        assert.equal(keyProblem(key, "write"), undefined);
        assert.equal(canWrite(key), true);
    });

    test("a viewer-only key reads; for writing it names the missing scope as the dashboard words it and the settings page", () => {
        const key = identityOf(KEY_KINDS.viewerOnly);
        assert.equal(keyProblem(key, "read"), undefined);
        const problem = keyProblem(key, "write")!;
        assert.match(
            problem,
            /"Read-only key" cannot write alert routes: it lacks "Create and manage on-call resources" \(on_call_editor\)/,
        );
        assert.match(problem, /https:\/\/app\.incident\.io\/emulated-org\/settings\/api-keys$/);
        assert.doesNotMatch(problem, /lacks "View data/);
        assert.match(readOnlyWarning(key)!, /this preview works .* `pulumi up` will stop before writing/);
    });

    test("a team-scoped on-call role is not enough for routes owned by nobody, and the message says so", () => {
        const key = identityOf(KEY_KINDS.teamScoped);
        assert.equal(canWrite(key), false);
        const problem = keyProblem(key, "write")!;
        assert.match(problem, /only for the team\(s\) "Platform"/);
        assert.match(problem, /owned by no team/);
    });

    test("an old-style key with global_access and no viewer can neither read nor write, and global_access is named", () => {
        const key = identityOf(KEY_KINDS.globalAccess);
        assert.match(keyProblem(key, "read")!, /lacks "View data, like public incidents and organization settings" \(viewer\)/);
        const problem = keyProblem(key, "write")!;
        assert.match(problem, /lacks "View data.*" \(viewer\) and "Create and manage on-call resources" \(on_call_editor\)/);
        assert.match(problem, /"global_access" role .* grants neither scope/);
        assert.equal(readOnlyWarning(key), undefined, "a key that cannot read gets the error, not the preview warning");
    });

    test("without a usable dashboard URL the page is named in words", () => {
        const key = identityFromResponse({ identity: { name: "k", roles: ["viewer"], dashboard_url: "ftp://x" } });
        assert.match(keyProblem(key, "write")!, /incident\.io → Settings → API keys$/);
    });
});

describe("identityOnce: one call per process for each API and key", () => {
    test("a second ask is answered from the cache; a failed call is asked again", async () => {
        let calls = 0;
        const base = `https://cache.test/${Math.random()}`;
        const fetch = async () => {
            calls++;
            return identityOf(KEY_KINDS.write);
        };
        await identityOnce(base, "key-a", fetch);
        await identityOnce(base, "key-a", fetch);
        assert.equal(calls, 1);
        await identityOnce(base, "key-b", fetch);
        assert.equal(calls, 2, "another key is another entry");
        const failing = async (): Promise<KeyIdentity> => {
            calls++;
            throw new Error("down");
        };
        await assert.rejects(identityOnce(base, "key-c", failing));
        await identityOnce(base, "key-c", fetch);
        assert.equal(calls, 4, "the failure was not cached");
    });
});

describe("the emulator answers /v1/identity for the key it was started with", () => {
    for (const [kind, identity] of Object.entries(KEY_KINDS)) {
        test(`${kind}: the answer is valid per the spec and read back as sent; writes need on_call_editor`, async () => {
            const emu = await IncidentIoEmulator.start({ apiKey: "k", identity });
            try {
                const client = new IncidentIoClient({
                    baseUrl: emu.url,
                    apiKey: "k",
                    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
                });
                const res = await fetch(`${emu.url}/v1/identity`, { headers: { authorization: "Bearer k" } });
                assert.deepEqual(validateAgainstSpec("UtilitiesIdentityResultV1", await res.json()), []);
                const read = await client.getIdentity();
                assert.equal(read.name, identity.name);
                assert.deepEqual(read.roles, identity.roles);
                const post = await fetch(`${emu.url}/v2/alert_routes`, {
                    method: "POST",
                    headers: { authorization: "Bearer k", "content-type": "application/json" },
                    body: "{}",
                });
                assert.equal(post.status, canWrite(read) ? 422 : 403, "a key without on_call_editor is refused before validation");
                assert.equal(emu.routes().length, 0);
            } finally {
                await emu.close();
            }
        });
    }
});
