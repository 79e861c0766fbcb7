// The benchmark's command line: flags → options (pure apart from --help, which prints and exits).
import * as path from "node:path";

export interface BenchOptions {
    sizes: number[];
    latencyMs: number;
    rpcConcurrency: number; // 0 = unbounded
    maxConcurrency?: number;
    claimManaged: boolean;
    /** Directory that receives results.json and results.md. */
    outDir: string;
    /** Runs of each `pulumi preview` in the side-by-side with the real CLI (bench/cli.ts); 0 skips it. */
    cliRuns: number;
}

export function parseArgs(argv: string[]): BenchOptions {
    const opts: BenchOptions = {
        sizes: [6, 100, 500],
        latencyMs: 20,
        rpcConcurrency: 32,
        claimManaged: true,
        outDir: __dirname,
        cliRuns: 5,
    };
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split("=", 2) as [string, string | undefined];
        const value = () => {
            const v = inline ?? argv[++i];
            if (v === undefined) throw new Error(`${flag} needs a value`);
            return v;
        };
        const int = (v: string, min: number) => {
            const n = Number(v);
            if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min}, got "${v}"`);
            return n;
        };
        switch (flag) {
            case "--sizes":
                opts.sizes = value()
                    .split(",")
                    .filter((s) => s.trim() !== "")
                    .map((s) => int(s.trim(), 1));
                break;
            case "--latency":
                opts.latencyMs = int(value(), 0);
                break;
            case "--rpc-concurrency":
                opts.rpcConcurrency = int(value(), 0);
                break;
            case "--max-concurrency":
                opts.maxConcurrency = int(value(), 1);
                break;
            case "--claim-managed": {
                const v = value();
                if (v !== "true" && v !== "false") throw new Error(`--claim-managed must be true or false, got "${v}"`);
                opts.claimManaged = v === "true";
                break;
            }
            case "--cli-runs":
                opts.cliRuns = int(value(), 0);
                break;
            case "--out":
                opts.outDir = path.resolve(value());
                break;
            case "--help":
            case "-h":
                console.log(
                    "usage: npm run bench -- [--sizes 6,100,500] [--latency 20] [--rpc-concurrency 32] [--max-concurrency 8] [--claim-managed true] [--cli-runs 5] [--out <dir>]   (env BENCH_API_KEY: the API key to use)",
                );
                process.exit(0);
            // eslint-disable-next-line no-fallthrough
            default:
                throw new Error(`unknown flag ${flag}`);
        }
    }
    if (opts.sizes.length === 0) throw new Error("--sizes is empty");
    return opts;
}
