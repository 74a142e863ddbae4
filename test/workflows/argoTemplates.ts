import { findManifest, loadManifests, type Manifest } from './manifests.js';

/** The parts of Argo's Template that these tests read. */
export interface Parameter {
  name: string;
  value?: string;
}

export interface Artifact {
  name: string;
  path?: string;
  from?: string;
}

export interface TemplateRef {
  name: string;
  template: string;
}

export interface Task {
  name: string;
  template?: string;
  templateRef?: TemplateRef;
  depends?: string;
  withItems?: string[];
  arguments?: { parameters?: Parameter[]; artifacts?: Artifact[] };
}

export interface Template {
  name: string;
  inputs?: { parameters?: Parameter[]; artifacts?: Artifact[] };
  outputs?: { artifacts?: Artifact[] };
  retryStrategy?: { limit?: string; expression?: string };
  securityContext?: Record<string, unknown>;
  volumes?: { name: string; emptyDir?: object }[];
  container?: Container;
  script?: Container & { source: string };
  dag?: { tasks: Task[] };
  steps?: Task[][];
}

export interface Container {
  image: string;
  command?: string[];
  args?: string[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}

interface ArgoSpec {
  entrypoint?: string;
  onExit?: string;
  arguments?: { parameters?: Parameter[] };
  templates: Template[];
}

export const spec = (manifest: Manifest): ArgoSpec => manifest.object.spec as ArgoSpec;

export function template(manifest: Manifest, name: string): Template {
  const found = spec(manifest).templates.find((t) => t.name === name);
  if (!found) throw new Error(`${manifest.file}: no template ${name}`);
  return found;
}

/** The template a task runs: one of its own workflow's, or a WorkflowTemplate's through templateRef. */
export function taskTemplate(workflow: Manifest, task: Task): Template {
  if (task.templateRef) return template(findManifest('WorkflowTemplate', task.templateRef.name), task.templateRef.template);
  if (!task.template) throw new Error(`${workflow.file}: task ${task.name} names no template`);
  return template(workflow, task.template);
}

/** Every task of every DAG and steps template under workflows/, with the manifest it belongs to. */
export function allTasks(): { manifest: Manifest; task: Task }[] {
  return loadManifests()
    .filter((m) => m.apiVersion === 'argoproj.io/v1alpha1')
    .flatMap((manifest) =>
      spec(manifest).templates.flatMap((t) => [...(t.dag?.tasks ?? []), ...(t.steps ?? []).flat()].map((task) => ({ manifest, task }))),
    );
}

/**
 * Argo's simple `{{name}}` substitution over `values`. Anything it cannot resolve, an `{{=expression}}`
 * included, throws: a replay must never run with a placeholder left in it.
 */
export function substitute(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`cannot resolve {{${name}}} in ${JSON.stringify(text)}`);
    return value;
  });
}

/**
 * Argo evaluates `{{=expr}}` with expr-lang. The one form the templates use is evaluated here:
 * `name == 'literal' ? x : y`, where x and y are `+`-joined quoted strings, numbers and parameter names.
 * Any other expression throws, so a replay never runs with a guessed value.
 */
export function evaluateExpressions(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{=\s*([\w.]+)\s*==\s*'([^']*)'\s*\?(.*?):(.*?)\}\}/g, (whole, name: string, literal: string, yes: string, no: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`cannot resolve ${name} in ${whole}`);
    return operand(value === literal ? yes : no, values, whole);
  });
}

function operand(expression: string, values: Record<string, string>, whole: string): string {
  return expression
    .split('+')
    .map((part) => part.trim())
    .map((part) => {
      if (/^'[^']*'$/.test(part)) return part.slice(1, -1);
      if (/^\d+$/.test(part)) return part;
      const value = values[part];
      if (value === undefined) throw new Error(`cannot evaluate ${JSON.stringify(part)} in ${whole}`);
      return value;
    })
    .join('');
}

/** The `inputs.parameters.*` values a task hands its template: its arguments resolved in `outer`, else the defaults. */
export function inputValues(task: Task, target: Template, outer: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const parameter of target.inputs?.parameters ?? []) {
    const argument = task.arguments?.parameters?.find((p) => p.name === parameter.name);
    const value = argument?.value !== undefined ? substitute(argument.value, outer) : parameter.value;
    if (value === undefined) throw new Error(`task ${task.name} does not pass the required parameter ${parameter.name}`);
    values[`inputs.parameters.${parameter.name}`] = value;
  }
  return values;
}
