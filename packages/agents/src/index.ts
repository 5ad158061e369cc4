export { runSleep, undoSleep, recoverSleep, MAX_SLEEP_BUDGET_MS, STORE_WIDE_SHARE, type SleepOptions, type SleepProgress, type SleepReport } from './run-sleep';
export { createSleepJournal, KEPT_RUNS, LEASE_MS, SLEEP_OWNER, type AgentSummary, type SleepJournal, type SleepRunEntry, type SleepStep, summarizeReports } from './sleep-journal';
export { createForgettingAgent } from './forgetting-agent';
export { EXPIRES_AT, expiryOf, isExpired, parseExpiry } from './expiry';
export { createConsolidationAgent, CONSOLIDATION_STATE, type ConsolidationOptions } from './consolidation-agent';
export { createOptimizationAgent } from './optimization-agent';
export { createPreloadingAgent, preloadingRecord, PRELOADING_STATE, type PreloadingAgentOptions, type PreloadOutcome } from './preloading-agent';
export { likelihood, observe, rankUsers, tune, type ActivityProfile, type ActivityProfiles, type PreloadParams } from './activity-profiles';
