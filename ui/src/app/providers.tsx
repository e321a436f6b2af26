/** App-wide providers: TanStack Query, the WebSocket stream, the session restore. */
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { getSession, restore } from "@/lib/session";
import { StreamProvider } from "@/lib/stream";
import type { StreamClient } from "@/lib/ws";
import { createQueryClient } from "./queryClient";

export function AppProviders({ children, queryClient, stream }: { children: ReactNode; queryClient?: QueryClient; stream?: StreamClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  useEffect(() => {
    if (getSession().status === "restoring") void restore();
  }, []);
  return (
    <QueryClientProvider client={client}>
      <StreamProvider client={stream}>{children}</StreamProvider>
    </QueryClientProvider>
  );
}
