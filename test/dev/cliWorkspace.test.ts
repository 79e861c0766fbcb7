// CliWorkspace's transcript (E2E_TRANSCRIPT): each `pulumi` run's command line, exit code and output, appended
// to the file; nothing written without the variable. A stand-in `pulumi` (a shell script) keeps it fast.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, it } from "node:test";

import { CliWorkspace } from "../../dev/pulumi-cli/workspace";

function standInCli(dir: string): string {
    const script = path.join(dir, "pulumi");
    fs.writeFileSync(script, '#!/bin/sh\necho "ran: $*"\necho "to stderr" >&2\nexit 3\n', { mode: 0o755 });
    return script;
}

describe("CliWorkspace transcript", () => {
    const saved = process.env.E2E_TRANSCRIPT;
    afterEach(() => {
        if (saved === undefined) delete process.env.E2E_TRANSCRIPT;
        else process.env.E2E_TRANSCRIPT = saved;
    });

    it("appends each run's command, exit code and output to E2E_TRANSCRIPT", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-transcript-"));
        const transcript = path.join(dir, "transcript.txt");
        process.env.E2E_TRANSCRIPT = transcript;
        const workspace = new CliWorkspace(
            { pulumi: standInCli(dir), source: "path", version: "3.248.0", pathPrefix: [] },
            {},
            path.join(dir, "ws"),
        );
        try {
            const first = await workspace.run(["preview", "--stack", "staging"]);
            await workspace.run(["refresh", "--yes"]);
            assert.equal(first.code, 3);
            const text = fs.readFileSync(transcript, "utf8");
            assert.match(text, /\$ \(cd .*\) pulumi preview --stack staging {3}# exit 3\nran: preview --stack staging --color never\n/);
            assert.match(text, /to stderr/);
            assert.match(text, /pulumi refresh --yes {3}# exit 3\n/);
        } finally {
            workspace.dispose();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("writes nothing without E2E_TRANSCRIPT", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-transcript-"));
        delete process.env.E2E_TRANSCRIPT;
        const workspace = new CliWorkspace(
            { pulumi: standInCli(dir), source: "path", version: "3.248.0", pathPrefix: [] },
            {},
            path.join(dir, "ws"),
        );
        try {
            await workspace.run(["preview"]);
            assert.deepEqual(fs.readdirSync(dir).sort(), ["pulumi", "ws"]);
        } finally {
            workspace.dispose();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
