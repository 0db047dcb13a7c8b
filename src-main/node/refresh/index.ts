// The refresh engine's public surface: what the Electron shell (scheduler, IPC, notifications), the
// CLI and the night-plan benchmark import. Everything else in this folder is internal.
export {
  createRefreshEngine,
  RefreshEngine,
  TokenStillRefusedError,
  type EndpointFreshness,
  type RefreshEngineOptions,
  type RefreshTrigger,
  type RunHandle,
  type StartOptions,
  type SupplierFreshness,
} from './refresh-engine';
export { AttemptJournal } from './attempt-journal';
export {
  DEFAULT_TUNING,
  type ExecutionEnd,
  type ExecutorHooks,
  type ExecutorTuningInput,
  type PoolLimiter,
  type PoolProgress,
  type ProgressError,
  type RefreshApiClient,
  type RefreshProgress,
} from './refresh-executor';
export {
  DEFAULT_FRESHNESS_POLICY,
  DEFAULT_REFRESH_ENDPOINTS,
  freshnessPolicySchema,
  parseFreshnessPolicy,
  type FreshnessPolicy,
  type FreshnessPolicyInput,
  type Privileges,
} from './freshness-policy';
export {
  API_ENTREPRISE_LIMITS,
  demandPerSupplierPerNight,
  estimateDurations,
  maxSustainableSuppliers,
  nightCapacity,
  planNights,
  planRefresh,
  type NightPlan,
  type PlanItem,
  type RateLimits,
  type RefreshPlan,
  type ScheduledItem,
  type SustainabilityReport,
} from './refresh-planner';
export { simulateNights, type SimulationResult } from './night-simulation';
export { CHANGE_KINDS, CHANGE_LABELS, type ChangeKind } from './change-detector';
export type { ReportedChange, ReportedError, RunReport } from './run-report';
export type { JobState, RunState } from './refresh-store';
