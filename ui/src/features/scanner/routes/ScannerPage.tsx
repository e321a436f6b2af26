import { PlaceholderPage } from "@/components/Page";

export default function ScannerPage() {
  return <PlaceholderPage title="Scanner" what="Scan symbols for cointegrated pairs with live progress, then sort and filter the results and open a pair." />;
}
