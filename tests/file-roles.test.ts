import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The closed set of file roles under subgraphs/ (docs/architecture.md "Where do I put…"):
 * a newcomer knows what a file holds from its name, and a resolver never reaches the database.
 */
const ROLES = ['type', 'input', 'rules', 'resolver', 'service', 'model', 'loader', 'client', 'provider', 'events', 'route', 'routes', 'job', 'env'];
const ROOT_FILES = ['index.ts', 'main.ts', 'rules.ts', 'subscriptions.ts', 'routes.ts', 'context.ts', 'events.ts'];
const root = join(__dirname, '..', 'subgraphs');

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
const files = walk(root);

describe('file roles under subgraphs/', () => {
  it('finds the subgraphs', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it('every file is <name>.<role>.ts with a role from the closed set, or a wiring file at a subgraph root', () => {
    const role = new RegExp(`^[a-z0-9-]+\\.(${ROLES.join('|')})\\.ts$`);
    const odd = files.filter((path) => {
      const rel = relative(root, path);
      const name = rel.split('/').pop()!;
      if (role.test(name)) return false;
      const depth = rel.split('/').length;
      // subgraphs/<file>.ts (registry, gathered tables) and subgraphs/<name>/<root file>.ts.
      return !(depth <= 2 && ROOT_FILES.concat(['registry.ts']).includes(name));
    });
    expect(odd.map((p) => relative(root, p))).toEqual([]);
  });

  it('resolvers stay thin: no resolver calls a model or connection method', () => {
    const dbCall =
      /\.(find|findOne|findById|aggregate|updateOne|updateMany|insertMany|countDocuments|findOneAndUpdate|deleteOne|deleteMany|distinct|bulkWrite)\(/;
    const fat = files.filter((p) => p.endsWith('.resolver.ts') && dbCall.test(readFileSync(p, 'utf8')));
    expect(fat.map((p) => relative(root, p))).toEqual([]);
  });

  it('shape checks live on input classes (core/validation), not hand-written in services and resolvers', () => {
    // Patterns a service once used to check its input's shape; the decorators now do (docs/architecture.md).
    const handChecks = [/\bparseDay\(/, /\.trim\(\) === ''/, /\bcheckLocation\(/, /fromMonth > toMonth/, /give exactly one of/, /give at least one of/];
    const found = files.flatMap((p) => {
      if (!/\.(service|resolver|routes?)\.ts$/.test(p)) return [];
      const text = readFileSync(p, 'utf8');
      return handChecks.filter((re) => re.test(text)).map((re) => `${relative(root, p)}: ${re.source}`);
    });
    expect(found).toEqual([]);
  });
});
