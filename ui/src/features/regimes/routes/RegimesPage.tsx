import { PlaceholderPage } from "@/components/Page";

export default function RegimesPage() {
  return <PlaceholderPage title="Regimes and parameters" what="Detect regimes on a pair, the parameter sets per regime and grid optimisation." />;
}
