// @ts-check
'use strict';

/**
 * The packaging step (`npm run copy-schema`, run by `vsce package` as vscode:prepublish):
 * copies the repository's schemas/diddy-mesh.schema.json into the extension, where
 * package.json's jsonValidation entry (`./schemas/diddy-mesh.schema.json`) finds it.
 * The copy is a build product and is not kept in the repository.
 */

const fs = require('fs');
const path = require('path');

const extensionRoot = path.resolve(__dirname, '..');
const source = path.resolve(extensionRoot, '..', '..', 'schemas', 'diddy-mesh.schema.json');
const target = path.join(extensionRoot, 'schemas', 'diddy-mesh.schema.json');

if (!fs.existsSync(source)) {
  console.error(`copy-schema: ${source} is missing; run this from a checkout of the Diddy-Mesh repository`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(source, target);
console.log(`copy-schema: ${path.relative(extensionRoot, source)} -> ${path.relative(extensionRoot, target)}`);
