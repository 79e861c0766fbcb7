// The CI workflow: tests on every change, preview of both stacks on pull requests, up on main
// (staging before production), credentials only from repository secrets.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

import * as YAML from "yaml";

import { ENVIRONMENTS } from "../../stack/routes";
import { PROJECT_ROOT } from "../../dev/paths";

const workflow = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, ".github", "workflows", "pulumi.yml"), "utf8"));
type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
const steps = (job: string): Step[] => workflow.jobs[job].steps;
const pulumiStep = (job: string) => steps(job).find((s) => s.uses?.startsWith("pulumi/actions@"))!;

describe("CI workflow", () => {
    it("runs npm ci and npm test on pull requests and on main", () => {
        assert.deepEqual(Object.keys(workflow.on).sort(), ["pull_request", "push"]);
        assert.deepEqual(workflow.on.push.branches, ["main"]);
        assert.deepEqual(
            steps("test")
                .filter((s) => s.run)
                .map((s) => s.run),
            ["npm ci", "npm test"],
        );
    });

    it("previews both stacks on pull requests and comments on the PR", () => {
        const job = workflow.jobs.preview;
        assert.match(job.if, /pull_request/);
        assert.deepEqual(job.strategy.matrix.include.map((m: { stack: string }) => m.stack).sort(), [...ENVIRONMENTS].sort());
        assert.equal(pulumiStep("preview").with!.command, "preview");
        assert.equal(pulumiStep("preview").with!["comment-on-pr"], true);
    });

    it("runs pulumi up on main, staging first, production after it", () => {
        assert.match(workflow.jobs["up-staging"].if, /refs\/heads\/main/);
        assert.equal(workflow.jobs["up-production"].needs, "up-staging");
        for (const [job, stack] of [
            ["up-staging", "staging"],
            ["up-production", "production"],
        ]) {
            assert.equal(pulumiStep(job).with!.command, "up");
            assert.match(String(pulumiStep(job).with!["stack-name"]), new RegExp(stack));
        }
    });

    it("needs one checkout per job and no second repository", () => {
        for (const job of Object.keys(workflow.jobs)) {
            const checkouts = steps(job).filter((s) => s.uses?.startsWith("actions/checkout@"));
            assert.equal(checkouts.length, 1, job);
            assert.equal(checkouts[0].with?.repository, undefined, job);
            assert.ok(
                !steps(job).some((s) => (s as { "working-directory"?: string })["working-directory"]),
                `${job} runs in the checkout itself`,
            );
        }
        assert.ok(!JSON.stringify(workflow).includes("SHARED_REPOSITORY"));
    });

    it("waits for an approval in the production environment before production's up, and only there", () => {
        assert.equal(workflow.jobs["up-production"].environment, "production");
        for (const job of ["test", "preview", "up-staging"]) assert.equal(workflow.jobs[job].environment, undefined, job);
    });

    it("uses the actions' current majors", () => {
        const majors = new Map<string, string>();
        for (const job of Object.keys(workflow.jobs))
            for (const s of steps(job)) if (s.uses) majors.set(s.uses.split("@")[0], s.uses.split("@")[1]);
        assert.deepEqual(Object.fromEntries(majors), { "actions/checkout": "v7", "actions/setup-node": "v7", "pulumi/actions": "v7" });
    });

    it("takes every credential from repository secrets", () => {
        for (const job of ["preview", "up-staging", "up-production"]) {
            const env = { ...pulumiStep(job).env, ...steps(job).find((s) => s.run?.includes("kubeconfig"))?.env };
            for (const key of [
                "PULUMI_ACCESS_TOKEN",
                "INCIDENT_IO_TOKEN",
                "CHECKLY_API_KEY",
                "CHECKLY_ACCOUNT_ID",
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "KUBECONFIG_CONTENT",
            ]) {
                assert.match(env[key] ?? "", /^\$\{\{ secrets[.[]/, `${job}: ${key}`);
            }
        }
    });
});
