// Public entry of the editions capability: versioned definitions (draft → submitted → reviewed →
// published / withdrawn; four eyes; published never changes; a correction is a new edition with its reason).
export {
  createDraft,
  updateDraft,
  transitionEdition,
  getEdition,
  listEditions,
  editionsAwaitingCount,
  currentEdition,
  changesBetween,
  type Edition,
  type EditionUser,
  type DefinitionRow,
  type DraftInput,
} from './service.ts';
export {
  editionSchema,
  editionSummarySchema,
  editionTransitionBody,
  editionStatusSchema,
} from './schemas.ts';
export { STATUS_ZH, type EditionStatus, type EditionAction } from '../../domain/editions/index.ts';
