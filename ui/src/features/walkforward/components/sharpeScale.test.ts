import { barAxis, niceStep } from "./sharpeScale";

describe("Sharpe bar axis", () => {
  it("spans zero with whole steps and room for the labels", () => {
    const axis = barAxis([1.62, -0.48, 0.58]);
    expect(axis.min).toBeLessThan(-0.48);
    expect(axis.max).toBeGreaterThan(1.62);
    expect(axis.ticks).toContain(0);
    expect(niceStep(2.1)).toBe(0.5);
  });

  it("keeps zero in view for all-positive or empty values", () => {
    expect(barAxis([0.2, 0.3]).min).toBe(0);
    expect(barAxis([])).toMatchObject({ min: 0 });
    expect(barAxis([null, undefined]).max).toBeGreaterThan(0);
  });
});
