import type { Connection, Model, Schema } from 'mongoose';

/** A compiled model as mongoose builds it; `__subclass` binds it to another connection. */
type Compiled = Model<unknown> & { __subclass(conn: Connection): Model<unknown> };

/**
 * Each schema compiled once per process, then bound to each tenant view cheaply
 * (issue 19). `conn.model(name, schema)` compiles the schema afresh on every
 * view: ~0.12 ms of CPU and ~13 KB of heap per model per tenant (the student
 * subgraph's 22 models: 2.7 ms and 295 KB), paid again by every cold tenant. Binding is
 * mongoose's own `Model.__subclass` (what `conn.model(name)` does for a model
 * registered on another connection): a subclass whose `db` and `collection` are
 * the tenant's, sharing the compiled schema, hooks, methods and statics
 * (~0.025 ms and ~1.7 KB per model). The templates live on a view no query ever uses.
 */
export class ModelTemplates {
  private readonly compiled = new Map<string, Compiled>();

  constructor(private readonly home: Connection) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: virtuals, methods and statics vary by model
  bind<T>(conn: Connection, name: string, schema: Schema<T, any, any, any>): Model<T> {
    let template = this.compiled.get(name);
    if (!template) {
      template = this.home.model(name, schema) as unknown as Compiled;
      this.compiled.set(name, template);
    }
    // A schema object made afresh per call cannot share the template: compiled on this view, as before (correct, not cheap).
    if (template.schema !== schema) return conn.model(name, schema) as unknown as Model<T>;
    const model = template.__subclass(conn);
    forgetSubclasses(template);
    (conn.models as Record<string, Model<unknown>>)[name] = model;
    return model as unknown as Model<T>;
  }
}

/**
 * `__subclass` also lists each subclass on the template (only so a discriminator
 * added later reaches them; this code base has none): that list would keep every
 * evicted tenant's models alive.
 */
function forgetSubclasses(template: Compiled): void {
  for (const key of Object.getOwnPropertySymbols(template)) {
    if (key.description !== 'mongoose#Model#subclassed') continue;
    const list = (template as unknown as Record<symbol, unknown[]>)[key];
    if (Array.isArray(list)) list.length = 0;
  }
}
