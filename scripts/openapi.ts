// `npm run openapi`: writes docs/openapi.json from the push API's zod schemas (server/gateway/http/openapi.ts).
// A test fails when the committed file and the generated document differ.
import fs from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from '../server/gateway/http/openapi.ts';

const file = path.resolve(import.meta.dirname, '../docs/openapi.json');
fs.writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), file)}`);
