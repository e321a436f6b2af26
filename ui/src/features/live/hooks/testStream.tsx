/** For component tests: a stand-in stream client whose topics the test feeds by hand. */
import type { ReactNode } from "react";
import { StreamProvider } from "@/lib/stream";
import type { StreamClient, StreamEvent, TopicListener } from "@/lib/ws";

export function StreamContextForTests() {
  const listeners = new Map<string, Set<TopicListener>>();
  const fake = {
    connectionState: "open",
    lastNotice: null,
    start() {},
    stop() {},
    subscribe(topic: string, l: TopicListener) {
      const set = listeners.get(topic) ?? new Set<TopicListener>();
      set.add(l);
      listeners.set(topic, set);
      return () => set.delete(l);
    },
    onState: () => () => undefined,
    onNotice: () => () => undefined,
  };
  const client = {
    emit(topic: string, event: StreamEvent) {
      listeners.get(topic)?.forEach((l) => l(event));
    },
  };
  const Provider = ({ children }: { children: ReactNode }) => <StreamProvider client={fake as unknown as StreamClient}>{children}</StreamProvider>;
  return { client, Provider };
}
