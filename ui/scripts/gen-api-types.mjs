// Generate src/lib/api-types.ts from the server's OpenAPI schema.
//
//   node scripts/gen-api-types.mjs                 # runs `manage.py spectacular` itself
//   node scripts/gen-api-types.mjs schema.json     # from a schema file
//   node scripts/gen-api-types.mjs schema.json out.ts
//
// tests/web/test_ui_api_types.py runs the same generation and fails when the committed file
// differs, so regenerate (`make api-types`) whenever an endpoint or a serializer changes.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const [input, output = resolve(here, "..", "src", "lib", "api-types.ts")] = process.argv.slice(2);

const text = input
  ? readFileSync(input, "utf8")
  : execFileSync(resolve(root, ".venv", "bin", "python"), ["manage.py", "spectacular", "--format", "openapi-json"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
const schema = JSON.parse(text);
const ast = await openapiTS(schema, { alphabetize: false, exportType: true });
const header =
  "// Generated from the server's OpenAPI schema (GET /api/schema/) by ui/scripts/gen-api-types.mjs.\n" +
  "// Do not edit by hand: run `make api-types`.\n\n";
writeFileSync(output, header + astToString(ast));
console.log(`wrote ${output}`);
