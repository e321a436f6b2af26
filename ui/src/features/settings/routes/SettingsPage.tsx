/** /settings: trading preferences (the server) and display settings (this browser). */
import { useEffect } from "react";
import { PageHeader, Panel } from "@/components/Page";
import { Alert, Loading } from "@/components/Status";
import { useMe } from "@/lib/me";
import { ChartPreview } from "../components/ChartPreview";
import { DisplayForm } from "../components/DisplayForm";
import { PreferencesForm } from "../components/PreferencesForm";

export default function SettingsPage() {
  const me = useMe();
  useEffect(() => {
    document.title = "Settings · TITAN";
  }, []);
  return (
    <>
      <PageHeader title="Settings" subtitle={me.data ? `Signed in as ${me.data.username}${me.data.email ? ` (${me.data.email})` : ""}` : undefined} />
      <div className="grid-2">
        <Panel title="Trading preferences">
          {me.isLoading && <Loading label="Loading your preferences…" />}
          {me.isError && <Alert error={me.error} title="Could not load your preferences" onRetry={() => void me.refetch()} />}
          {me.data && <PreferencesForm me={me.data} />}
        </Panel>
        <Panel title="Display">
          <DisplayForm />
          <h3 className="preview-title">Preview</h3>
          <ChartPreview />
        </Panel>
      </div>
    </>
  );
}
