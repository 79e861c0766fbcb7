// The Pulumi CLI the end-to-end tier, `npm run demo` and the benchmark run: a `pulumi` on PATH when it is
// recent enough, otherwise the CLI built here from its Go modules (dev/pulumi-cli/go.mod, version pinned to
// the lockfile's @pulumi/pulumi) into the git-ignored `.pulumi-cli/`, rebuilt only when go.mod or go.sum change.
import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

import { PROJECT_ROOT } from "../paths";

/**
 * The oldest CLI this project is run with: 3.216.0 shipped dynamic providers' `read` returning `inputs`
 * (pulumi/pulumi#21315, tested there end to end with that release's CLI), which refresh relies on.
 */
export const MINIMUM_PULUMI_VERSION = "3.216.0";
/** The version built here: the @pulumi/pulumi the lockfile pins (a CLI and SDK of one release). */
export const BUILT_PULUMI_VERSION = "3.248.0";

const MODULE_DIR = path.join(PROJECT_ROOT, "dev", "pulumi-cli");
export const BUILD_DIR = path.join(PROJECT_ROOT, ".pulumi-cli");
const BIN_DIR = path.join(BUILD_DIR, "bin");
const STAMP = path.join(BUILD_DIR, "built-from.sha256");
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";

export interface PulumiCli {
    /** The `pulumi` executable. */
    pulumi: string;
    /** Where it came from, for the one line the tools print about it. */
    source: "path" | "built";
    version: string;
    /** Prepended to PATH for the CLI's child processes: it finds its plugins on PATH or beside itself. */
    pathPrefix: string[];
}

/** `a >= b` for dotted versions (`v` prefix and pre-release suffix ignored). */
export function versionAtLeast(version: string, minimum: string): boolean {
    const parts = (v: string): number[] => v.replace(/^v/, "").split(/[-+]/)[0].split(".").map(Number);
    const [a, b] = [parts(version), parts(minimum)];
    for (let i = 0; i < 3; i++) {
        if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
    }
    return true;
}

function onPath(command: string): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
        const candidate = path.join(dir, command);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            if (fs.statSync(candidate).isFile()) return candidate;
        } catch {
            // not here
        }
    }
    return undefined;
}

function versionOf(pulumi: string): string | undefined {
    const result = spawnSync(pulumi, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    return result.status === 0 ? result.stdout.trim() : undefined;
}

function buildInputsHash(): string {
    const hash = createHash("sha256");
    for (const file of ["go.mod", "go.sum"]) hash.update(fs.readFileSync(path.join(MODULE_DIR, file)));
    return hash.digest("hex");
}

/** The plugins the CLI looks for beside itself: the Node.js language host and the dynamic-provider launcher. */
function writePlugins(): void {
    const languageHost = path.join(MODULE_DIR, "languageHost.js");
    fs.writeFileSync(path.join(BIN_DIR, "pulumi-language-nodejs"), `#!/bin/sh\nexec node ${JSON.stringify(languageHost)} "$@"\n`, {
        mode: 0o755,
    });
    // The launcher @pulumi/pulumi ships (a user's CLI install ships the same script).
    const launcher = path.join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs");
    fs.copyFileSync(launcher, path.join(BIN_DIR, "pulumi-resource-pulumi-nodejs"));
    fs.chmodSync(path.join(BIN_DIR, "pulumi-resource-pulumi-nodejs"), 0o755);
}

/**
 * Builds the CLI into .pulumi-cli/bin unless the build there is from the same go.mod and go.sum.
 * Returns false when `go` is not installed. Throws (with Go's own output) when the build fails.
 */
export function buildPulumi(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): boolean {
    const go = onPath("go");
    if (!go) return false;
    const wanted = buildInputsHash();
    const pulumi = path.join(BIN_DIR, "pulumi");
    const built = fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8").trim() === wanted && fs.existsSync(pulumi);
    fs.mkdirSync(BIN_DIR, { recursive: true });
    if (!built) {
        log(
            `Building the Pulumi CLI v${BUILT_PULUMI_VERSION} from Go modules into ${path.relative(process.cwd(), BIN_DIR) || "."} (first time: several minutes)…`,
        );
        const started = Date.now();
        const args = [
            "build",
            "-o",
            pulumi,
            "-ldflags",
            `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${BUILT_PULUMI_VERSION}`,
            CLI_PACKAGE,
        ];
        const result = spawnSync(go, args, {
            cwd: MODULE_DIR,
            stdio: ["ignore", "inherit", "inherit"],
            env: { ...process.env, CGO_ENABLED: "0" },
        });
        if (result.status !== 0) {
            throw new Error(
                `go build of the Pulumi CLI failed (exit ${result.status ?? result.signal}); its output is above. Nothing was installed.`,
            );
        }
        fs.writeFileSync(STAMP, `${wanted}\n`);
        log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
    }
    writePlugins();
    return true;
}

/**
 * The CLI to run: `pulumi` on PATH when at least MINIMUM_PULUMI_VERSION, else the one built here (building it
 * when Go is installed). Undefined when neither is available; the caller says how to get one.
 */
export function findOrBuildPulumi(log?: (line: string) => void): PulumiCli | undefined {
    const installed = onPath("pulumi");
    const installedVersion = installed ? versionOf(installed) : undefined;
    if (installed && installedVersion && versionAtLeast(installedVersion, MINIMUM_PULUMI_VERSION)) {
        return { pulumi: installed, source: "path", version: installedVersion, pathPrefix: [] };
    }
    if (!buildPulumi(log)) return undefined;
    const pulumi = path.join(BIN_DIR, "pulumi");
    const version = execFileSync(pulumi, ["version"], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    }).trim();
    return { pulumi, source: "built", version, pathPrefix: [BIN_DIR] };
}

/** One line for a machine with neither: what to install. */
export const NO_PULUMI_MESSAGE =
    `Neither a Pulumi CLI v${MINIMUM_PULUMI_VERSION} or newer on PATH nor Go to build one: ` +
    "install Pulumi (https://www.pulumi.com/docs/install/) or Go 1.24+ (https://go.dev/dl/), then run this again.";

// `npm run pulumi-cli`: finds or builds the CLI and says which. Without either, one line and exit 0 (the e2e
// tier then skips), except in CI (`CI` set), where a CLI that cannot be had fails the run.
if (require.main === module) {
    const cli = findOrBuildPulumi();
    if (!cli) {
        console.error(`${process.env.CI ? "error" : "end-to-end tier skipped"}: ${NO_PULUMI_MESSAGE}`);
        process.exit(process.env.CI ? 1 : 0);
    }
    console.log(
        `Pulumi CLI: ${cli.pulumi} (${cli.version}, ${cli.source === "path" ? "from PATH" : "built here from dev/pulumi-cli/go.mod"})`,
    );
}
