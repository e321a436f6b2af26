import { PlaceholderPage } from "@/components/Page";

export default function BacktestPage() {
  return <PlaceholderPage title="Backtest" what="Equity, drawdown, trades, metrics and the lookahead check of one backtest." />;
}
