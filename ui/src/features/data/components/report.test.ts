import { calendarLabel, groupGaps, spacingLabel } from "./report";

describe("quality report helpers", () => {
  it("groups consecutive missing daily bars across a weekend into one gap", () => {
    // Thu 5th, Fri 6th, Mon 9th missing (one gap over the weekend); Wed 11th alone.
    const gaps = groupGaps(["2023-01-05T00:00:00Z", "2023-01-06T00:00:00Z", "2023-01-09T00:00:00Z", "2023-01-11T00:00:00Z"], "1d");
    expect(gaps).toEqual([
      { from: "2023-01-05T00:00:00Z", to: "2023-01-09T00:00:00Z", bars: 3 },
      { from: "2023-01-11T00:00:00Z", to: "2023-01-11T00:00:00Z", bars: 1 },
    ]);
  });

  it("groups intraday bars one step apart", () => {
    const gaps = groupGaps(["2023-01-05T14:00:00Z", "2023-01-05T15:00:00Z", "2023-01-05T18:00:00Z"], "1h");
    expect(gaps.map((g) => g.bars)).toEqual([2, 1]);
    expect(groupGaps([], "1h")).toEqual([]);
  });

  it("names calendars and spacings for people", () => {
    expect(calendarLabel("NYSE")).toBe("New York Stock Exchange (XNYS)");
    expect(calendarLabel("XLON")).toBe("XLON exchange calendar");
    expect(spacingLabel(86_400)).toBe("1 day");
    expect(spacingLabel(900)).toBe("15 minutes");
    expect(spacingLabel(null)).toBe("—");
  });
});
