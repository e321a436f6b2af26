/** Chart colours for the dark (TradingView-like) and light themes. */
import type { Theme, UpColor } from "@/lib/prefs";
import { upDownColors } from "@/lib/prefs";

export interface ChartTheme {
  background: string;
  text: string;
  grid: string;
  border: string;
  crosshair: string;
  up: string;
  down: string;
  neutral: string;
  /** A palette for series without their own colour. */
  palette: string[];
  band: string;
  stop: string;
}

export function chartTheme(theme: Theme, upColor: UpColor): ChartTheme {
  const { up, down } = upDownColors(upColor);
  if (theme === "light") {
    return {
      background: "#ffffff",
      text: "#131722",
      grid: "#f0f3fa",
      border: "#d1d4dc",
      crosshair: "#9598a1",
      up,
      down,
      neutral: "#2962ff",
      palette: ["#2962ff", "#e65100", "#7b1fa2", "#00796b", "#c2185b", "#5d4037"],
      band: "#787b86",
      stop: "#d32f2f",
    };
  }
  return {
    background: "#131722",
    text: "#d1d4dc",
    grid: "#1e222d",
    border: "#2a2e39",
    crosshair: "#758696",
    up,
    down,
    neutral: "#2962ff",
    palette: ["#2962ff", "#ff9800", "#ab47bc", "#26c6da", "#ec407a", "#9ccc65"],
    band: "#787b86",
    stop: "#f23645",
  };
}
