import { PlaceholderPage } from "@/components/Page";

export default function SettingsPage() {
  return <PlaceholderPage title="Settings" what="Your trading preferences and the display settings." />;
}
