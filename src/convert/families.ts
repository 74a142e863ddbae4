import type { Labels, ValidRecord } from '../records.js';

/** Records grouped into metric families by name, families and their series in file order. */
export function groupByName(records: readonly ValidRecord[]): ValidRecord[][] {
  const families = new Map<string, ValidRecord[]>();
  for (const record of records) {
    const family = families.get(record.name);
    if (family) family.push(record);
    else families.set(record.name, [record]);
  }
  return [...families.values()];
}

/** The labels a record's series carries; an info record's facts are labels too. */
export function seriesLabels(record: ValidRecord): Labels {
  return record.type === 'info' ? { ...record.labels, ...record.info } : record.labels;
}
