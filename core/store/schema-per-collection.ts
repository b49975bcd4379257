import type { Schema } from 'mongoose';

/**
 * Wraps a schema factory so each collection gets one schema object, however often it is
 * asked for: a model compiles once per process for one schema and is bound to each
 * tenant cheaply (core/tenancy/model-templates.ts); a fresh schema per call would compile again.
 */
export function perCollection<T>(make: (collection: string) => Schema<T>): (collection: string) => Schema<T> {
  const made = new Map<string, Schema<T>>();
  return (collection) => {
    let schema = made.get(collection);
    if (!schema) made.set(collection, (schema = make(collection)));
    return schema;
  };
}
