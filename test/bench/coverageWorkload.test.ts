// The coverage benchmark's route tables (bench/coverageWorkload.ts): valid routes that give the
// analysis every kind of finding to find, so its timing row measures the real work.
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";

import { validateRoute } from "../../providers/incident-io/validate";
import { coverageInput } from "../../bench/coverageWorkload";
import { analyseCoverage } from "../../stack/coverage/analysis";

describe("coverage benchmark workloads", () => {
    for (const workload of ["provider", "distinct"] as const) {
        it(`${workload}: 500 routes, each a valid route definition`, () => {
            const input = coverageInput(workload, 500);
            assert.equal(input.routes.length, 500);
            for (const route of input.routes) assert.deepEqual(validateRoute(route as unknown as Record<string, unknown>), [], route.name);
        });
    }

    it("distinct, 500 routes: gaps, overlaps and classes not evaluated, on every source, none left unenumerated", () => {
        const report = analyseCoverage(coverageInput("distinct", 500));
        for (const kind of ["gap", "overlap", "not evaluated"]) {
            const sources = new Set(report.findings.filter((f) => f.kind === kind).map((f) => f.source));
            assert.ok(sources.size >= 5, `${kind} on ${sources.size} sources`);
        }
        assert.ok(!report.findings.some((f) => /more than \d+ classes/.test(JSON.stringify(f.notEvaluated ?? []))));
    });
});
