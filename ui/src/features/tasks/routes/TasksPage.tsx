import { PlaceholderPage } from "@/components/Page";

export default function TasksPage() {
  return <PlaceholderPage title="Tasks" what="Every run with its status, live progress, cancel and a link to its result." />;
}
