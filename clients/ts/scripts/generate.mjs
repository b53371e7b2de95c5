// Generates src/generated from the program's IDL (../../idl/tributary.json) with Codama.
// With --check, renders to a temporary folder and fails when src/generated differs from it.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import { definedTypeNode, programNode, rootNode } from '@codama/nodes';
import { visit } from '@codama/visitors-core';

const here = dirname(fileURLToPath(import.meta.url));
const idlPath = join(here, '..', '..', '..', 'idl', 'tributary.json');
const committed = join(here, '..', 'src', 'generated');
const check = process.argv.includes('--check');

const fromIdl = rootNodeFromAnchor(JSON.parse(readFileSync(idlPath, 'utf8')));
// The JavaScript renderer does not render events: each becomes a type whose codec carries the
// event's discriminator as a hidden prefix, so decoding checks it (see src/events.ts).
const events = fromIdl.program.events.map((event) =>
  definedTypeNode({ name: event.name, docs: event.docs, type: event.data }),
);
const root = rootNode(
  programNode({
    ...fromIdl.program,
    definedTypes: [...fromIdl.program.definedTypes, ...events],
    events: [],
  }),
  fromIdl.additionalPrograms,
);
const packageFolder = join(here, '..');
const out = check ? join(mkdtempSync(join(tmpdir(), 'tributary-codama-')), 'generated') : committed;
// The package's own files are written by hand: Codama writes only the generated folder.
await visit(
  root,
  renderVisitor(packageFolder, {
    generatedFolder: relative(packageFolder, out),
    deleteFolderBeforeRendering: true,
    syncPackageJson: false,
  }),
);

if (check) {
  const files = (folder) =>
    readdirSync(folder, { recursive: true })
      .filter((path) => statSync(join(folder, path)).isFile())
      .map((path) => relative(folder, join(folder, path)))
      .sort();
  const fresh = files(out);
  const stale = [...new Set([...fresh, ...files(committed)])].filter((path) => {
    try {
      return readFileSync(join(out, path), 'utf8') !== readFileSync(join(committed, path), 'utf8');
    } catch {
      return true;
    }
  });
  rmSync(dirname(out), { recursive: true, force: true });
  if (stale.length > 0) {
    console.error(`src/generated is not what the IDL gives now (${stale.join(', ')}): run \`npm run generate\` and commit it`);
    process.exit(1);
  }
  console.log('src/generated is current');
} else {
  console.log(`wrote ${relative(process.cwd(), out)}`);
}
