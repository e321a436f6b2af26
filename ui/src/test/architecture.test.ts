/**
 * Layout rules (bulletproof-react): features never import each other; shared code
 * (components, lib) never imports a feature; only app/ composes features.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

const SRC = join(__dirname, "..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1] ?? "");
}

function featureOf(file: string): string | null {
  const parts = relative(SRC, file).split(sep);
  return parts[0] === "features" ? (parts[1] ?? null) : null;
}

describe("source layout", () => {
  const all = files(SRC).filter((f) => !f.endsWith("api-types.ts"));

  it("has no cross-feature imports", () => {
    const bad: string[] = [];
    for (const file of all) {
      const own = featureOf(file);
      for (const spec of imports(file)) {
        const match = spec.match(/^@\/features\/([^/]+)/);
        if (match && own !== null && match[1] !== own) bad.push(`${relative(SRC, file)} -> ${spec}`);
        if (own !== null && spec.startsWith("../../") && spec.includes("features")) bad.push(`${relative(SRC, file)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("keeps components and lib free of features", () => {
    const bad = all
      .filter((f) => /^(components|lib)[/\\]/.test(relative(SRC, f)))
      .flatMap((f) => imports(f).filter((s) => s.startsWith("@/features/") || s.startsWith("@/app/")).map((s) => `${relative(SRC, f)} -> ${s}`));
    expect(bad).toEqual([]);
  });

  it("has one API client: only lib/api.ts calls fetch", () => {
    const callers = all.filter((f) => !f.includes(`${sep}test${sep}`) && !f.endsWith(".test.ts") && !f.endsWith(".test.tsx") && /\bfetch\(/.test(readFileSync(f, "utf8")));
    expect(callers.map((f) => relative(SRC, f))).toEqual([join("lib", "api.ts")]);
  });
});
