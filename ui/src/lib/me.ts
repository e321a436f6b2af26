/**
 * The signed-in user's profile and trading preferences (GET/PATCH auth/me), shared: the
 * settings page edits them, the backtest and walk-forward forms start from them.
 */
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./api";

export type Me = Schemas["UserMeOutput"];
export type StrategyDefaults = Schemas["StrategyDefaultsRequest"];
export type MePatch = Schemas["PatchedUserMeInputRequest"];

/** The user's default strategy parameters, typed (the schema leaves them as JSON). */
export function defaultParams(me: Me | undefined): StrategyDefaults {
  const raw = (me?.default_params ?? {}) as Partial<StrategyDefaults>;
  return {
    lookback: raw.lookback ?? 60,
    entry_z: raw.entry_z ?? 2,
    exit_z: raw.exit_z ?? 0.5,
    stop_z: raw.stop_z ?? 4,
    max_holding: raw.max_holding ?? 60,
  };
}

export const getMe = (signal?: AbortSignal) => api.get<Me>("auth/me", undefined, { signal });

export const meQueryKey = ["auth", "me"] as const;

export const meQueryOptions = () => queryOptions({ queryKey: meQueryKey, queryFn: ({ signal }) => getMe(signal), staleTime: 5 * 60_000 });

export const useMe = () => useQuery(meQueryOptions());

export const updateMe = (patch: MePatch) => api.patch<Me>("auth/me", patch);

export function useUpdateMe() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: updateMe,
    onSuccess: (me) => client.setQueryData(meQueryKey, me),
  });
}
