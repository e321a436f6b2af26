import { PlaceholderPage } from "@/components/Page";

export default function DataPage() {
  return <PlaceholderPage title="Data" what="The symbol universe with its coverage, CSV and Parquet upload with the rejection report, provider fetch and the quality report of each symbol." />;
}
