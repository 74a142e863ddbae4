import { readFileSync } from 'node:fs';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { describe, expect, it } from 'vitest';
import type { FileExpectation, HistoryExpectation, Labels, MetricDocument, MetricRecord, MetricType, RecordExpectation } from '../../src/records.js';

/** schemas/metric-file.schema.json as a literal type; the test below fails if the two differ. */
const schema = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://github.com/simplepipe/simplepipe/schemas/metric-file.schema.json",
  "title": "simplepipe metric file",
  "description": "Either a JSON array of metric records (the Python Simplepipe format) or an object with common labels and the records.",
  "type": [
    "array",
    "object"
  ],
  "if": {
    "type": "array"
  },
  "then": {
    "$ref": "#/definitions/recordList"
  },
  "else": {
    "$ref": "#/definitions/metricDocument"
  },
  "definitions": {
    "recordList": {
      "type": "array",
      "items": {
        "$ref": "#/definitions/record"
      }
    },
    "metricDocument": {
      "type": "object",
      "required": [
        "metrics"
      ],
      "additionalProperties": false,
      "properties": {
        "labels": {
          "$ref": "#/definitions/labels",
          "description": "Labels added to every record; a record's own label of the same name wins over it."
        },
        "expect": {
          "$ref": "#/definitions/fileExpectation"
        },
        "metrics": {
          "$ref": "#/definitions/recordList"
        }
      }
    },
    "fileExpectation": {
      "type": "object",
      "description": "What is expected of the job as a whole; `node app.js rules` turns it into freshness alerts. A push to a Pushgateway stores `every` and `ttl` in the group as the gauges simplepipe_group_every_seconds and simplepipe_group_ttl_seconds (docs/operations.md).",
      "additionalProperties": false,
      "properties": {
        "every": {
          "$ref": "#/definitions/duration",
          "description": "The longest allowed gap between two pushes of this job and grouping key."
        },
        "ttl": {
          "$ref": "#/definitions/duration",
          "description": "How long the group stays meaningful after its last push: `simplepipe prune` deletes it once that is over (the push flag --ttl wins over it)."
        }
      }
    },
    "recordExpectation": {
      "type": "object",
      "description": "The range the record's value is expected in; `node app.js rules` turns it into alerts. Gauges and counters only; not pushed.",
      "additionalProperties": false,
      "properties": {
        "min": {
          "type": "number",
          "description": "Inclusive lower bound: the alert fires while the value is below it (or NaN)."
        },
        "max": {
          "type": "number",
          "description": "Inclusive upper bound: the alert fires while the value is above it (or NaN)."
        },
        "history": {
          "$ref": "#/definitions/historyExpectation"
        },
        "for": {
          "$ref": "#/definitions/duration",
          "description": "How long the value must stay out of range before the alert fires."
        },
        "severity": {
          "type": "string",
          "description": "The alert's severity label (default warning); not empty."
        },
        "labels": {
          "$ref": "#/definitions/labels",
          "description": "Further labels on the alert."
        },
        "annotations": {
          "$ref": "#/definitions/labels",
          "description": "Further annotations on the alert (Prometheus templates); they win over the generated ones."
        }
      }
    },
    "historyExpectation": {
      "type": "object",
      "description": "How far the value may move from its baseline: the median of the job's own runs over `window` before the current one. `node app.js rules` turns it into alerts, `push --gate --baseline-from` checks it.",
      "required": [
        "window"
      ],
      "additionalProperties": false,
      "properties": {
        "window": {
          "$ref": "#/definitions/duration",
          "description": "How far back the baseline's runs go (14d)."
        },
        "maxDrop": {
          "type": "number",
          "minimum": 0,
          "description": "Largest allowed fall below the baseline, as a fraction of it (0.05 is 5%)."
        },
        "maxRise": {
          "type": "number",
          "minimum": 0,
          "description": "Largest allowed rise above the baseline, as a fraction of it (0.5 is 50%)."
        }
      }
    },
    "duration": {
      "type": "string",
      "pattern": "^(?:0|(?=.)(?:[0-9]+y)?(?:[0-9]+w)?(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?(?:[0-9]+ms)?)$",
      "description": "A Prometheus duration: units y, w, d, h, m, s, ms, largest first, each at most once (30s, 5m, 1h30m, 1d), or 0."
    },
    "metricName": {
      "type": "string",
      "pattern": "^[a-zA-Z_:][a-zA-Z0-9_:]*$",
      "description": "A Prometheus metric name."
    },
    "labelName": {
      "type": "string",
      "pattern": "^[a-zA-Z_][a-zA-Z0-9_]*$",
      "description": "A Prometheus label name; names starting with __ are reserved and rejected by the semantic checks."
    },
    "labels": {
      "type": "object",
      "propertyNames": {
        "$ref": "#/definitions/labelName"
      },
      "additionalProperties": {
        "type": "string"
      }
    },
    "numericString": {
      "type": "string",
      "pattern": "^(?:[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|NaN|[+-]?Inf)$",
      "description": "A number written as a string, as Simplepipe's own example does (\"6\"), or NaN, +Inf, -Inf."
    },
    "sampleValue": {
      "anyOf": [
        {
          "type": "number"
        },
        {
          "$ref": "#/definitions/numericString"
        }
      ]
    },
    "counterValue": {
      "description": "Counters are finite and never negative.",
      "anyOf": [
        {
          "type": "number",
          "minimum": 0
        },
        {
          "type": "string",
          "pattern": "^\\+?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
        }
      ]
    },
    "observations": {
      "description": "One observation, or an array of observations.",
      "anyOf": [
        {
          "$ref": "#/definitions/sampleValue"
        },
        {
          "type": "array",
          "minItems": 1,
          "items": {
            "$ref": "#/definitions/sampleValue"
          }
        }
      ]
    },
    "record": {
      "type": "object",
      "required": [
        "name",
        "description",
        "value",
        "metric_type"
      ],
      "additionalProperties": false,
      "properties": {
        "name": {
          "$ref": "#/definitions/metricName"
        },
        "description": {
          "type": "string",
          "description": "The HELP text."
        },
        "metric_type": {
          "enum": [
            "gauge",
            "counter",
            "summary",
            "histogram",
            "info"
          ]
        },
        "value": true,
        "labels": {
          "$ref": "#/definitions/labels"
        },
        "buckets": {
          "type": "array",
          "minItems": 1,
          "items": {
            "type": "number"
          },
          "description": "Histogram bucket upper bounds, strictly increasing; +Inf is always added."
        },
        "quantiles": {
          "type": "array",
          "items": {
            "type": "number",
            "minimum": 0,
            "maximum": 1
          },
          "description": "Summary only: the φ-quantiles to expose (nearest rank over the record's observations), each between 0 and 1, strictly increasing; [] exposes only _sum and _count. Default: 0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999."
        },
        "expect": {
          "$ref": "#/definitions/recordExpectation"
        }
      },
      "allOf": [
        {
          "if": {
            "properties": {
              "metric_type": {
                "const": "gauge"
              }
            },
            "required": [
              "metric_type"
            ]
          },
          "then": {
            "properties": {
              "value": {
                "$ref": "#/definitions/sampleValue"
              }
            }
          }
        },
        {
          "if": {
            "properties": {
              "metric_type": {
                "const": "counter"
              }
            },
            "required": [
              "metric_type"
            ]
          },
          "then": {
            "properties": {
              "value": {
                "$ref": "#/definitions/counterValue"
              }
            }
          }
        },
        {
          "if": {
            "properties": {
              "metric_type": {
                "enum": [
                  "summary",
                  "histogram"
                ]
              }
            },
            "required": [
              "metric_type"
            ]
          },
          "then": {
            "properties": {
              "value": {
                "$ref": "#/definitions/observations"
              }
            }
          }
        },
        {
          "if": {
            "properties": {
              "metric_type": {
                "const": "info"
              }
            },
            "required": [
              "metric_type"
            ]
          },
          "then": {
            "properties": {
              "value": {
                "$ref": "#/definitions/labels"
              }
            }
          }
        },
        {
          "if": {
            "properties": {
              "metric_type": {
                "not": {
                  "const": "histogram"
                }
              }
            },
            "required": [
              "metric_type"
            ]
          },
          "then": {
            "not": {
              "required": [
                "buckets"
              ]
            }
          }
        },
        {
          "if": {
            "properties": {
              "metric_type": {
                "not": {
                  "const": "summary"
                }
              }
            },
            "required": [
              "metric_type"
            ]
          },
          "then": {
            "not": {
              "required": [
                "quantiles"
              ]
            }
          }
        }
      ]
    }
  }
} as const;

type Definitions = typeof schema.definitions;
/** A definition as a type, its local `$ref`s resolved against the whole schema. */
type Defined<Name extends keyof Definitions> =
  Definitions[Name] & { definitions: Definitions } extends infer S extends JSONSchema ? FromSchema<S> : never;

// Type-level: `npm run typecheck` fails when src/records.ts and the schema disagree in either direction.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agree = <T extends true>(): T => true as T;

agree<Same<MetricType, Defined<'record'>['metric_type']>>();
agree<Same<Labels, Defined<'labels'>>>();
agree<Same<Omit<MetricRecord, 'value'>, Omit<Defined<'record'>, 'value'>>>();
// `value` is `true` in the record and narrowed per metric_type by if/then: its type is the union of those.
agree<Same<MetricRecord['value'], Defined<'sampleValue'> | Defined<'counterValue'> | Defined<'observations'> | Defined<'labels'>>>();
agree<Same<Omit<MetricDocument, 'metrics'>, Omit<Defined<'metricDocument'>, 'metrics'>>>();
// Optional fields make Same<> hold for a type that lacks one, so the expectations are also compared field by field.
agree<Same<RecordExpectation, Defined<'recordExpectation'>>>();
agree<Same<FileExpectation, Defined<'fileExpectation'>>>();
agree<Same<HistoryExpectation, Defined<'historyExpectation'>>>();
agree<Same<keyof HistoryExpectation, keyof Defined<'historyExpectation'>>>();
agree<Same<keyof RecordExpectation, keyof Defined<'recordExpectation'>>>();
agree<Same<keyof NonNullable<MetricRecord['expect']>, keyof Defined<'recordExpectation'>>>();
agree<Same<NonNullable<MetricDocument['expect']>, Defined<'fileExpectation'>>>();

describe('the record types and the JSON schema', () => {
  it('check against a copy of the schema that is the schema file, unchanged', () => {
    const file: unknown = JSON.parse(readFileSync(new URL('../../schemas/metric-file.schema.json', import.meta.url), 'utf8'));
    expect(schema).toEqual(file);
  });
});
