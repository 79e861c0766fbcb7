// ESLint flat config: the recommended rules of ESLint and typescript-eslint, plus the two the
// house insists on (no `any`, type-only imports marked as such). Formatting is Prettier's job
// (.prettierrc), so no stylistic rules here. `npm run lint` runs this and `prettier --check`.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

// The Node globals the one plain-JavaScript file (a CommonJS child-process entry) uses; TypeScript
// files get theirs from @types/node, and typescript-eslint turns `no-undef` off for them.
const nodeCommonJsGlobals = {
    require: "readonly",
    module: "writable",
    exports: "writable",
    process: "readonly",
    console: "readonly",
    Buffer: "readonly",
    __dirname: "readonly",
    __filename: "readonly",
};

export default defineConfig(
    {
        // Generated or byte-exact data, and build output.
        ignores: ["node_modules/", "bin/", ".pulumi-cli/", "bench/results.*", "test/fixtures/**/*.json"],
    },
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            // `import type` (or an inline `type` specifier) for imports used only as types: the reader
            // sees what is erased, and transpile-only runs (TS_NODE_TRANSPILE_ONLY) need no guessing.
            "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "separate-type-imports" }],
            // Unused bindings are errors, except those named `_…` to keep a position (callbacks,
            // destructuring that drops a field on purpose).
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
            ],
        },
    },
    {
        // The provider's public surface is its index.ts; only the provider itself and its tests reach inside.
        files: ["index.ts", "stack/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts", "dev/**/*.ts"],
        rules: {
            "no-restricted-imports": [
                "error",
                {
                    patterns: [
                        {
                            regex: "providers/incident-io/.+",
                            message: "Import from providers/incident-io (its index.ts); export what you need there.",
                        },
                    ],
                },
            ],
        },
    },
    {
        files: ["**/*.js"],
        languageOptions: { sourceType: "commonjs", globals: nodeCommonJsGlobals },
        rules: {
            // CommonJS is the point of the plain-JavaScript files (they run before ts-node is registered).
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        linterOptions: { reportUnusedDisableDirectives: "error" },
    },
);
