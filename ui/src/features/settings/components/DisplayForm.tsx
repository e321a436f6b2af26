/** Display settings of this browser (localStorage): theme, time, up colour. Applied at once. */
import { setDisplayPrefs, useDisplayPrefs, type DisplayPrefs } from "@/lib/prefs";

function Radios<K extends keyof DisplayPrefs>({ name, legend, options }: { name: K; legend: string; options: Array<{ value: DisplayPrefs[K]; label: string }> }) {
  const prefs = useDisplayPrefs();
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="radio-row">
        {options.map((o) => (
          <label key={String(o.value)}>
            <input type="radio" name={name} value={String(o.value)} checked={prefs[name] === o.value} onChange={() => setDisplayPrefs({ [name]: o.value } as Partial<DisplayPrefs>)} />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function DisplayForm() {
  return (
    <div className="form" role="group" aria-label="Display">
      <Radios
        name="theme"
        legend="Theme"
        options={[
          { value: "dark", label: "Dark" },
          { value: "light", label: "Light" },
        ]}
      />
      <Radios
        name="time"
        legend="Times on charts and tables"
        options={[
          { value: "utc", label: "UTC" },
          { value: "local", label: "Local time of this browser" },
        ]}
      />
      <Radios
        name="upColor"
        legend="Colour of a rise"
        options={[
          { value: "green-up", label: "Green up, red down" },
          { value: "red-up", label: "Red up, green down" },
        ]}
      />
      <p className="muted">Stored in this browser only (they are not secrets).</p>
    </div>
  );
}
