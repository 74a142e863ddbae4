import { expect } from 'vitest';
import { DataError } from '../../src/errors.js';

/** The DataError `run` throws; fails the test when it throws anything else, or nothing. */
export function dataErrorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected a DataError');
}
