export {
  CALIBRATED_LIST,
  NOUN_FEATURES,
  QUESTION_FEATURES,
  RESULT_FEATURES,
  questionFeatures,
  resultFeatures,
  type QuestionFeature,
  type QuestionFeatures,
  type RankedResult,
  type ResultFeature,
  type ResultFeatureOptions,
  type ResultFeatures,
} from './relevance-features';
export { DEFAULT_TAXONOMY_PATH, defaultNounTaxonomy, loadNounTaxonomy, prefetchDefaultNounTaxonomy, parseNounTaxonomy, type NounTaxonomy, type NounTaxonomyOptions } from './noun-taxonomy';
export { decodeNounTaxonomy, encodeNounTaxonomy, TAXONOMY_FORMAT_VERSION, type NounTaxonomySource, type NounTaxonomyTables } from './noun-taxonomy-file';
export { createNounCoverage, type NounCoverage } from './noun-coverage';
export { fitLogistic, predictLogistic, type LogisticModel } from './logistic-model';
export { parseRelevanceModel, type RelevanceModel } from './relevance-model';
export { fitRelevance, type FitRelevanceOptions, type RelevanceExample } from './fit-relevance';
export { expectedCalibrationError, reliabilityTable, rocAuc, type ReliabilityBin } from './calibration-metrics';
export { createRelevanceGate, type RelevanceGate, type RelevanceGateOptions, type RelevanceJudgement } from './create-relevance-gate';
export { defaultRelevance } from './default-relevance';
export { IMPORTANCE_FEATURES, importanceFeatures, type ImportanceFeature, type ImportanceFeatures } from './importance-features';
export { fitImportance, importanceOf, parseImportanceModel, type ImportanceModel } from './importance-model';
export { defaultImportance } from './default-importance';
export { ADAPTATION_LIMITS, ADAPTED_FEATURES, PERSONAL_FEATURES, emptyAdaptation, parseAdaptation, type Moment, type PersonalFeature, type UserAdaptation, type WordCounts } from './user-adaptation';
/** Re-exported from `@neuromem/core`, where it moved (session 55). */
export { contentWords } from '@neuromem/core';
export { expandQuery, meaningsOf, personalAdjustments, personalFeatures, type AdaptationCandidate } from './adaptation-features';
export { learnFromFeedback, type FeedbackEvent, type LearningOptions } from './learn-from-feedback';
export { adaptationEarned, judgeAdaptation, TRUST_Z, type TrackRecord } from './track-record';
export { UTILITY_FEATURES, fitUtility, parseUtilityModel, utilityFeatures, utilityOf, type UtilityFeature, type UtilityInput, type UtilityModel } from './utility-model';
export { defaultUtility } from './default-utility';
export { FACT_PAIR_FEATURES, factPairFeatures, type FactPairFeature, type FactPairFeatures, type FactPairStatement, type SemanticRange } from './fact-pair-features';
export { createSameFactJudge, fitFactPairs, parseFactPairModel, semanticRangeOf, type FactPairModel } from './fact-pair-model';
export { defaultFactPairs } from './default-fact-pairs';
export { defaultFactLinks } from './default-fact-links';
export { fitFactChanges } from './fact-change-model';
export { defaultFactChanges } from './default-fact-changes';
