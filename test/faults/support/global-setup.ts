import fs from 'node:fs';
import path from 'node:path';
import { FIGURES_DIR, formatTable, readAllFigures } from './figures.ts';

/** Starts each run with no figures, and prints the table (and keeps it as markdown and JSON) at the end. */
export default function setup(): () => void {
  fs.rmSync(FIGURES_DIR, { recursive: true, force: true });
  return () => {
    const rows = readAllFigures();
    if (rows.length === 0) return;
    const table = formatTable(rows);
    fs.writeFileSync(path.join(FIGURES_DIR, 'figures.md'), `${table}\n`);
    fs.writeFileSync(path.join(FIGURES_DIR, 'figures.json'), `${JSON.stringify(rows, null, 2)}\n`);
    console.log(`\nFault suite figures (${path.relative(process.cwd(), FIGURES_DIR)}/figures.md):\n\n${table}\n`);
  };
}
