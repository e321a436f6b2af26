import { PlaceholderPage } from "@/components/Page";

export default function PairPage() {
  return <PlaceholderPage title="Pair" what="Both legs, the spread and its z-score with the bands, regimes and breaks, and the statistics of the pair." />;
}
