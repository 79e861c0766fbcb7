// TypeScript → JavaScript once per file content, not once per process. Every `pulumi preview` starts two
// Node.js processes that load this project's TypeScript: the program (ts-node, registered by Pulumi's
// language host) and the dynamic-provider host (the shims in providers/). Each compiled the same ~30 files
// again on every run (bench/results.md, "With the real Pulumi CLI": ts-node's compile and the compiler's own
// load were most of the provider's overhead). Here the output is kept in node_modules/.cache, keyed by the
// sha256 of everything that decides it (this file's format, the compiler's version, the compiler options,
// the file's path and its text), so an edited file, another TypeScript or other options can never be
// served stale output: they are another key.
//
// Two ways in, one cache:
// - `create`: a ts-node custom transpiler (ts-node's `transpiler` option, set in tsconfig.json's "ts-node"
//   section: the program under `pulumi`, the scripts and the tests). ts-node keeps its source-map support.
// - `register`: a require hook of its own for the provider host, which then loads neither ts-node nor, when
//   every file is cached, the compiler. Stack traces map to the TypeScript through Node's own source maps.
//
// Plain JavaScript: it is loaded before anything can compile TypeScript.
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

/** Bumped when the cache entries' shape changes. */
const FORMAT = "alert-routing-transpile-1";
/** Where entries live; ALERT_ROUTING_TRANSPILE_CACHE moves it (the tests use a folder of their own). */
const CACHE_DIR =
    process.env.ALERT_ROUTING_TRANSPILE_CACHE || path.join(__dirname, "..", "node_modules", ".cache", "alert-routing-transpile");

let typescript;
/** The compiler, loaded only on a cache miss. */
function compiler() {
    typescript ??= require("typescript");
    return typescript;
}

let compilerVersion;
/** The compiler's version without loading it (its package.json is all a key needs). */
function typescriptVersion() {
    compilerVersion ??= JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")).version;
    return compilerVersion;
}

function cacheKey(compilerOptions, fileName, text) {
    const hash = crypto.createHash("sha256");
    for (const part of [FORMAT, typescriptVersion(), JSON.stringify(compilerOptions), fileName, text])
        hash.update(`${part.length}:${part}`);
    return hash.digest("hex");
}

function readEntry(key) {
    try {
        const entry = JSON.parse(fs.readFileSync(path.join(CACHE_DIR, `${key}.json`), "utf8"));
        return typeof entry.outputText === "string" ? entry : undefined;
    } catch {
        return undefined; // absent, or a torn/foreign file: compile again
    }
}

/** Written to a temporary name and renamed, so a reader never sees half an entry; a cache that cannot be written is only slower. */
function writeEntry(key, entry) {
    try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        const temporary = path.join(CACHE_DIR, `${key}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`);
        fs.writeFileSync(temporary, JSON.stringify(entry));
        fs.renameSync(temporary, path.join(CACHE_DIR, `${key}.json`));
    } catch {
        // read-only checkout or full disk: nothing to keep
    }
}

/**
 * The output for one file: from the cache, else compiled (and kept when the compiler reported nothing, so
 * a file with a syntax error is reported on every run, as ts-node reports it).
 */
function transpile(compilerOptions, fileName, text) {
    const key = cacheKey(compilerOptions, fileName, text);
    const cached = readEntry(key);
    if (cached) return { outputText: cached.outputText, sourceMapText: cached.sourceMapText, diagnostics: [] };
    const result = compiler().transpileModule(text, { fileName, compilerOptions, reportDiagnostics: true });
    const diagnostics = result.diagnostics ?? [];
    if (diagnostics.length === 0) writeEntry(key, { outputText: result.outputText, sourceMapText: result.sourceMapText });
    return { outputText: result.outputText, sourceMapText: result.sourceMapText, diagnostics };
}

/** ts-node's custom-transpiler entry point (ts-node/dist/transpilers/types.d.ts: `create` → `{ transpile }`). */
function create({ service }) {
    const compilerOptions = service.config.options;
    return { transpile: (text, { fileName }) => transpile(compilerOptions, fileName, text) };
}

/** The provider host's compiler options: what tsc and ts-node use for this project (tsconfig.json), as CommonJS. */
const HOST_COMPILER_OPTIONS = {
    target: "ES2022",
    module: "CommonJS",
    esModuleInterop: true,
    resolveJsonModule: true,
    inlineSourceMap: true,
    inlineSources: false,
};

/**
 * Makes `require` load `.ts` files through the cache (the provider host). Returns false when something
 * already compiles TypeScript in this process (ts-node in a test, or an earlier call).
 */
function register() {
    if (require.extensions[".ts"]) return false;
    process.setSourceMapsEnabled(true);
    require.extensions[".ts"] = (module, fileName) => {
        const { outputText, diagnostics } = transpile(HOST_COMPILER_OPTIONS, fileName, fs.readFileSync(fileName, "utf8"));
        if (diagnostics.length > 0) {
            const ts = compiler();
            const message = ts.formatDiagnostics(diagnostics, {
                getCanonicalFileName: (f) => f,
                getCurrentDirectory: () => process.cwd(),
                getNewLine: () => "\n",
            });
            throw new Error(`cannot compile ${fileName}:\n${message}`);
        }
        module._compile(outputText, fileName);
    };
    return true;
}

module.exports = { create, register, transpile, CACHE_DIR };
