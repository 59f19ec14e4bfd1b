import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_PREFIX, buildOpenApiDocument } from '../../server/gateway/http/openapi.ts';

/** Every route handler under app/api/v1 (file + exported method) is in the OpenAPI document, and back. */
const root = path.resolve(import.meta.dirname, '../..');
const apiDir = path.join(root, 'app/api/v1');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? routeFiles(p) : e.name === 'route.ts' ? [p] : [];
  });
}

function implemented(): string[] {
  return routeFiles(apiDir).flatMap((file) => {
    const url = `${API_PREFIX}/${path.relative(apiDir, path.dirname(file)).split(path.sep).join('/')}`.replace(/\[(\w+)\]/g, '{$1}');
    const source = fs.readFileSync(file, 'utf8');
    return METHODS.filter((m) => new RegExp(`export\\s+(const\\s+${m}\\b|(async\\s+)?function\\s+${m}\\b)`).test(source)).map(
      (m) => `${m} ${url}`,
    );
  });
}

function documented(): string[] {
  const doc = buildOpenApiDocument();
  return Object.entries(doc.paths ?? {}).flatMap(([p, item]) =>
    Object.keys(item as object)
      .filter((k) => METHODS.includes(k.toUpperCase()))
      .map((m) => `${m.toUpperCase()} ${p}`),
  );
}

describe('OpenAPI document and route handlers', () => {
  it('describe exactly the same operations', () => {
    const routes = implemented().sort();
    expect(routes.length).toBeGreaterThan(15);
    expect(documented().sort()).toEqual(routes);
  });

  it('name every path parameter of a route in its operation', () => {
    const doc = buildOpenApiDocument();
    for (const [p, item] of Object.entries(doc.paths ?? {})) {
      const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item as Record<string, { parameters?: { name: string; in: string }[] }>)) {
        const params = (op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name);
        expect([p, params.sort()]).toEqual([p, [...names].sort()]);
      }
    }
  });
});
