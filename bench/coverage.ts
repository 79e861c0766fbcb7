// Benchmark of the routing coverage analysis (stack/coverage/): how long `analyseCoverage` takes for
// 6, 100 and 500 routes, i.e. what it adds to every `pulumi preview` and what `npm run coverage` costs.
//
//   npm run bench:coverage                 # writes bench/coverage-results.md
//   npm run bench:coverage -- --runs 3     # fewer timed runs per row (default 7; the median is reported)
//
// Pure CPU, no I/O: each row is the median of --runs timed runs after one warm-up run.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

import { analyseCoverage } from "../stack/coverage/analysis";
import { coverageInput, type CoverageWorkload } from "./coverageWorkload";

const SIZES = [6, 100, 500];
const WORKLOADS: CoverageWorkload[] = ["provider", "distinct"];

function main(argv: string[]): void {
    const at = argv.indexOf("--runs");
    const runs = at >= 0 ? Number(argv[at + 1]) : 7;
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1, got ${JSON.stringify(argv[at + 1])}`);
    const load = os.loadavg()[0];
    const rows: string[] = [];
    for (const workload of WORKLOADS) {
        for (const n of SIZES) {
            const input = coverageInput(workload, n);
            const report = analyseCoverage(input); // warm-up, and the counts
            const times: number[] = [];
            for (let r = 0; r < runs; r++) {
                const t = performance.now();
                analyseCoverage(input);
                times.push(performance.now() - t);
            }
            times.sort((a, b) => a - b);
            const classes = report.sources.reduce((sum, s) => sum + s.rows.length, 0);
            const count = (kind: string) => report.findings.filter((f) => f.kind === kind).length;
            rows.push(
                `| ${workload} | ${n} | ${input.sources.length} | ${classes} | ${count("gap")} | ${count("overlap")} | ${count("not evaluated")} | ` +
                    `${times[Math.floor(times.length / 2)].toFixed(1)} | ${times[times.length - 1].toFixed(1)} |`,
            );
            process.stderr.write(`${workload} N=${n}: median ${times[Math.floor(times.length / 2)].toFixed(1)} ms\n`);
        }
    }
    const md =
        `Routing coverage analysis (\`analyseCoverage\`, stack/coverage/), median of ${runs} runs after a warm-up, ` +
        `Node ${process.version}, ${os.cpus().length} CPUs, load average ${load.toFixed(1)} when it started. Command: \`npm run bench:coverage${argv.length ? ` -- ${argv.join(" ")}` : ""}\`.\n` +
        `Workloads (bench/coverageWorkload.ts): "provider" is the provider benchmark's routes; "distinct" one team per route over ten sources.\n\n` +
        `| workload | routes | sources | classes (table rows) | gaps | overlaps | not evaluated | median (ms) | slowest (ms) |\n` +
        `|---|---:|---:|---:|---:|---:|---:|---:|---:|\n` +
        rows.join("\n") +
        "\n";
    fs.writeFileSync(path.join(__dirname, "coverage-results.md"), md);
    process.stdout.write(md);
}

main(process.argv.slice(2));
