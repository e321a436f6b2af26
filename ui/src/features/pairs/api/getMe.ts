/** `GET auth/me`: the user's default strategy parameters (the z bands drawn by default). */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "@/lib/api";

export type Me = Schemas["UserMeOutput"];

export const getMe = (signal?: AbortSignal) => api.get<Me>("auth/me", undefined, { signal });

export const meQueryOptions = () => queryOptions({ queryKey: ["auth", "me"], queryFn: ({ signal }) => getMe(signal), staleTime: 60_000 });

export const useMe = () => useQuery(meQueryOptions());
