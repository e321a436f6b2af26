import { PlaceholderPage } from "@/components/Page";

export default function LivePage() {
  return <PlaceholderPage title="Live" what="Monitors, the replay feed and the live feed of signals." />;
}
