import { typeRules, type RuleTable } from '../permissions/rules';
import type { DocumentLink } from './link.type';

/** Rules of the shared type: any caller who was allowed the field returning it may read it. */
export const documentLinkRules: RuleTable = {
  DocumentLink: typeRules<DocumentLink>({ '*': 'authenticated' }),
};
