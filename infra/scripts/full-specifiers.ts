import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

// The sources import each other without extensions (`./parse-event`, moduleResolution Bundler, which is
// what tsx and vitest run); Node's ESM loader only loads a full path. This transformer writes that path
// (`./parse-event.js`, `./data/index.js`) into the emitted JavaScript and declarations.

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts'];

/**
 * The full path of a specifier, resolved against the file that holds it: relative ones, and deep imports
 * into a package without an `exports` map (`nodemailer/lib/shared`), which Node resolves as a plain path.
 */
export function fullSpecifier(specifier: string, fromFile: string): string {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return packageFile(specifier, fromFile);
  if (/\.(?:[cm]?js|json)$/.test(specifier)) return specifier;
  const base = path.resolve(path.dirname(fromFile), specifier);
  const exists = (file: string): boolean => fs.existsSync(file) && fs.statSync(file).isFile();
  // declarations are transformed from the sources, so the source tree is where the file is found
  for (const ext of SOURCE_EXTENSIONS) if (exists(base + ext)) return `${specifier}.js`;
  for (const ext of SOURCE_EXTENSIONS)
    if (exists(path.join(base, `index${ext}`))) return `${specifier}/index.js`;
  throw new Error(`${fromFile}: cannot resolve "${specifier}" to a source file`);
}

export function rewriting<T extends ts.SourceFile | ts.Bundle>(context: ts.TransformationContext) {
  const { factory } = context;
  return (root: T): T => {
    if (!ts.isSourceFile(root)) return root;
    const file = root.fileName;
    const literal = (node: ts.StringLiteral): ts.StringLiteral => {
      const full = fullSpecifier(node.text, file);
      return full === node.text ? node : factory.createStringLiteral(full);
    };
    const visit = (node: ts.Node): ts.Node => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        return factory.updateImportDeclaration(
          node,
          node.modifiers,
          node.importClause,
          literal(node.moduleSpecifier),
          node.attributes,
        );
      }
      if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        return factory.updateExportDeclaration(
          node,
          node.modifiers,
          node.isTypeOnly,
          node.exportClause,
          literal(node.moduleSpecifier),
          node.attributes,
        );
      }
      if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] !== undefined &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        const [first, ...rest] = node.arguments;
        return factory.updateCallExpression(node, node.expression, node.typeArguments, [
          literal(first),
          ...rest,
        ]);
      }
      if (
        ts.isImportTypeNode(node) &&
        ts.isLiteralTypeNode(node.argument) &&
        ts.isStringLiteral(node.argument.literal)
      ) {
        return factory.updateImportTypeNode(
          node,
          factory.updateLiteralTypeNode(node.argument, literal(node.argument.literal)),
          node.attributes,
          node.qualifier,
          ts.visitNodes(node.typeArguments, visit, ts.isTypeNode),
          node.isTypeOf,
        );
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitEachChild(root, visit, context) as T;
  };
}

function packageFile(specifier: string, fromFile: string): string {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  if (specifier.startsWith('node:') || parts.length <= nameLength) return specifier;
  const name = parts.slice(0, nameLength).join('/');
  const manifest = manifestOf(name, path.dirname(fromFile));
  if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports !== undefined) {
    return specifier;
  }
  const file = path.relative(path.dirname(manifest), createRequire(fromFile).resolve(specifier));
  return [name, ...file.split(path.sep)].join('/');
}

/** The package.json of `name` as Node finds it from `dir` (read directly: `exports` may not expose it). */
function manifestOf(name: string, dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    const candidate = path.join(at, 'node_modules', name, 'package.json');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(at) === at) throw new Error(`${dir}: package ${name} is not installed`);
  }
}
