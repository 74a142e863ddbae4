import { expect } from 'vitest';
import { DataError, type DataIssue } from '../../src/index.js';

/** The issues of the DataError (exit 65) that `run` must throw. */
export function dataIssues(run: () => unknown): DataIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).exitCode).toBe(65);
    return [...(error as DataError).issues];
  }
  throw new Error('expected a DataError');
}
