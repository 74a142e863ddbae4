import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../workflows/manifests.js';

/**
 * Type-checks JSON texts as object literals that must satisfy `CheckedDashboard`, exported by `types`
 * (TypeScript source). Object literals get excess-property checks, so a misspelt or unknown field fails
 * too. Returns the compiler's messages per name. `folder` keeps apart the files of different checks.
 */
export function typecheckJson(types: string, texts: Record<string, string>, folder: string): Record<string, string[]> {
  // Inside the repository, so that the packages resolve from its node_modules.
  const dir = join(REPO_ROOT, 'node_modules/.cache/simplepipe', folder);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'types.ts'), types);
  const files = Object.entries(texts).map(([name, json]) => {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, `import type { CheckedDashboard } from './types.js';\nexport const dashboard = ${json.trimEnd()} satisfies CheckedDashboard;\n`);
    return [name, file] as const;
  });
  const program = ts.createProgram(
    files.map(([, file]) => file),
    { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [] },
  );
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return Object.fromEntries(
    files.map(([name, file]) => [
      name,
      diagnostics.filter((d) => d.file?.fileName === file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    ]),
  );
}

/** JSON holds plain strings where TypeScript declares string enums: each enum read as the union of its values. */
const AS_JSON = 'type AsJson<T> = T extends string ? `${T}` : T extends (infer U)[] ? AsJson<U>[] : T extends object ? { [K in keyof T]: AsJson<T[K]> } : T;';

/**
 * TypeScript source declaring `CheckedDashboard`: the dashboard by the types of the namespace `dashboard`
 * (its Dashboard, Panel, RowPanel, FieldConfig, FieldConfigSource), each panel's `options` and custom
 * field config by its plugin's own types (the namespaces bargauge, stat, statetimeline, table and
 * timeseries), each query as `query`. `imports` brings those namespaces in.
 */
export function checkedDashboardTypes(imports: string, query: string): string {
  return `${imports}

${AS_JSON}
type Query = ${query};
type Typed<Kind extends string, Options, Custom> = AsJson<Omit<dashboard.Panel, 'type' | 'targets' | 'options' | 'fieldConfig'>> & {
  type: Kind;
  targets: Query[];
  options: AsJson<Options>;
  fieldConfig: { defaults: AsJson<Omit<dashboard.FieldConfig, 'custom'>> & { custom?: AsJson<Custom> }; overrides: AsJson<dashboard.FieldConfigSource['overrides']> };
};
type TypedPanel =
  | Typed<'timeseries', timeseries.Options, timeseries.FieldConfig>
  | Typed<'stat', stat.Options, Record<string, never>>
  | Typed<'bargauge', bargauge.Options, Record<string, never>>
  | Typed<'table', table.Options, table.FieldConfig>
  | Typed<'state-timeline', statetimeline.Options, statetimeline.FieldConfig>;
// A collapsed row holds its panels: each is checked by its plugin's types as a top-level one is.
type AnyPanel = TypedPanel | (AsJson<Omit<dashboard.RowPanel, 'panels'>> & { panels: TypedPanel[] });
export type CheckedDashboard = AsJson<Omit<dashboard.Dashboard, 'panels'>> & { panels: AnyPanel[] };
`;
}
