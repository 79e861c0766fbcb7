import * as path from "node:path";

import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider Pulumi serializes into every resource's state (`__provider`). It is a shim: the
 * handlers are loaded at run time inside Pulumi's dynamic-provider host, so state holds no code,
 * no credentials, and refresh/destroy always run the project's current handlers. It captures only
 * its three strings: `file` (from the project root, without extension), the handlers' export
 * name, and the globalThis key that keeps one instance per host process (one limiter).
 */
export function handlersShim(file: string, exportName: string, cacheKey: string): pulumi.dynamic.ResourceProvider {
    // `fallbackRoot`: the checkout the program ran from, for a program whose Pulumi.yaml is elsewhere (the e2e
    // fixture and the demo, in test/e2e/project) but that runs on the machine that ran it.
    const where = { file, exportName, cacheKey, fallbackRoot: path.resolve(__dirname, "..", "..") };
    return {
        configure: (req) => loadHandlers(where).configure(req),
        check: (olds, news) => loadHandlers(where).check(olds, news),
        diff: (id, olds, news) => loadHandlers(where).diff(id, olds, news),
        create: (inputs) => loadHandlers(where).create(inputs),
        read: (id, props) => loadHandlers(where).read(id, props),
        update: (id, olds, news) => loadHandlers(where).update(id, olds, news),
        delete: (id, props) => loadHandlers(where).delete(id, props),
    };
}

// The engine starts the host in its plugin context's directory (pulumi/pulumi
// pkg/resource/plugin/provider_plugin.go: newPlugin(ctx, ctx.Pwd, ...)): the directory of Pulumi.yaml,
// or of its `main:`. So walk up to Pulumi.yaml and load the handlers from the program directory
// (`main:` when set), else from the checkout the program ran from. The host runs plain node: TypeScript goes
// through dev/cachedTranspiler.js (compiled once per content), or ts-node in a checkout without it.
// Comments inside the body would be serialized: keep them out here.
/* eslint-disable @typescript-eslint/no-require-imports -- the shim resolves these at run time, in the host */
function loadHandlers(where: {
    file: string;
    exportName: string;
    cacheKey: string;
    fallbackRoot: string;
}): Required<pulumi.dynamic.ResourceProvider> {
    const cache = globalThis as unknown as Record<string, Required<pulumi.dynamic.ResourceProvider> | undefined>;
    if (!cache[where.cacheKey]) {
        const fs = require("fs");
        const path = require("path");
        let root = process.cwd();
        for (let dir = root; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
            const yaml = path.join(dir, "Pulumi.yaml");
            if (!fs.existsSync(yaml)) continue;
            const main = /^main:[ \t]*["']?([^"'#\r\n]*?)["']?[ \t]*(#.*)?$/m.exec(fs.readFileSync(yaml, "utf8"))?.[1];
            root = main ? path.resolve(dir, main) : dir;
            if (main && fs.statSync(root, { throwIfNoEntry: false })?.isFile()) root = path.dirname(root);
            break;
        }
        if (
            !fs.existsSync(`${path.join(root, ...where.file.split("/"))}.ts`) &&
            fs.existsSync(`${path.join(where.fallbackRoot, ...where.file.split("/"))}.ts`)
        )
            root = where.fallbackRoot;
        const handlers = path.join(root, ...where.file.split("/"));
        try {
            if (!require.extensions[".ts"]) {
                const cachedTranspiler = path.join(root, "dev", "cachedTranspiler.js");
                if (fs.existsSync(cachedTranspiler)) require(cachedTranspiler).register();
                else
                    require(require.resolve("ts-node", { paths: [root] })).register({
                        transpileOnly: true,
                        project: path.join(root, "tsconfig.json"),
                    });
            }
            cache[where.cacheKey] = require(handlers)[where.exportName];
        } catch (error) {
            if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
            throw new Error(
                `cannot load the ${where.exportName} from ${handlers} (searched up from ${process.cwd()} for Pulumi.yaml): ` +
                    `${(error as Error).message.split("\n")[0]}. Run \`npm ci\` in ${root}, then the Pulumi command again.`,
            );
        }
        if (!cache[where.cacheKey])
            throw new Error(`${handlers} exports no ${where.exportName}: the project and its state disagree; run \`npm ci\`.`);
    }
    return cache[where.cacheKey]!;
}
/* eslint-enable @typescript-eslint/no-require-imports */
