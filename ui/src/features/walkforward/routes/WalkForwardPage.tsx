import { PlaceholderPage } from "@/components/Page";

export default function WalkForwardPage() {
  return <PlaceholderPage title="Walk-forward run" what="The fold timeline, stitched out-of-sample equity and the overfitting panel of one run." />;
}
