import { PlaceholderPage } from "@/components/Page";

export default function WalkForwardsPage() {
  return <PlaceholderPage title="Walk-forward" what="Run a walk-forward analysis with train and test folds." />;
}
