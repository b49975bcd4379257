import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../core/paths';
import { renderPermissionsDoc } from './permissions-doc';

writeFileSync(join(projectRoot(), 'docs', 'permissions.md'), renderPermissionsDoc());
console.log('wrote docs/permissions.md');
