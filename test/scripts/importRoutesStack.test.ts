// `npm run import-routes -- <dir> --stack <stack>`: the stack's own routes first, in full (ids,
// comparison, adoption command); then every other route in one line each, another stack's before
// the unmanaged ones, so nothing in the folder goes unmentioned.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";

import { main } from "../../scripts/import-routes";

const BACKUPS = path.join(__dirname, "..", "fixtures", "backups");

function run(argv: string[]): { code: number; stdout: string; stderr: string } {
    let stdout = "";
    let stderr = "";
    const code = main(argv, { log: (s) => (stdout += s), error: (s) => (stderr += s) });
    return { code, stdout, stderr };
}

describe("import-routes --stack", () => {
    it("staging: its route in full first, then each other route in one line, another stack's before the unmanaged", () => {
        const { code, stdout, stderr } = run([BACKUPS, "--stack", "staging"]);
        assert.equal(code, 0, stderr);
        const lines = stdout.split("\n");
        assert.match(
            lines[0],
            /^4 route\(s\) in .*: 1 owned by stack staging, then the 3 other\(s\) in one line each \(--stack staging\):$/,
        );
        assert.match(lines[1], /^ {2}stagingNotifications {2}\S+ {2}v\d+ {2}"Staging Notifications" {2}owned by staging$/);
        const other = lines.indexOf("Other routes (not the staging stack's):");
        assert.ok(other > 1, stdout);
        const block = lines.slice(other + 1, lines.indexOf("", other + 1));
        assert.deepEqual(
            block.map((l) => l.replace(/^ {2}\S+ {2}v\d+ {2}/, "")),
            [
                '"Production Alerts"  owned by production',
                '"Unrouted Alerts"  owned by production',
                '"Legacy: Datadog (old)"  not in stack/routes.ts',
            ],
            stdout,
        );
        // One line each: nothing of theirs in full (their ids and comparisons), no adoption command for them.
        assert.equal(stdout.match(/refers to:/g)?.length, 1, stdout);
        assert.doesNotMatch(stdout, /--stack production/);
    });

    it("without --stack: every stack's routes in full, the unmanaged ones in one line each", () => {
        const { code, stdout } = run([BACKUPS]);
        assert.equal(code, 0);
        assert.equal(stdout.match(/refers to:/g)?.length, 3, stdout);
        assert.doesNotMatch(stdout, /Other routes/);
        assert.match(stdout, /Not in stack\/routes\.ts .*:\n {2}\S+ {2}(v\d+ {2})?"Legacy: Datadog \(old\)"\n/);
    });
});
