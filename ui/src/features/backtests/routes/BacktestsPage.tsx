import { PlaceholderPage } from "@/components/Page";

export default function BacktestsPage() {
  return <PlaceholderPage title="Backtests" what="Run a backtest of a pair and compare backtests side by side." />;
}
