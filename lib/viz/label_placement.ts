// Placement of text labels over an image without overlaps: each label goes at its anchor or, when that spot is
// taken, at the nearest free spot within a few label sizes; a label with no free spot is dropped. Pure geometry on
// rectangles (no canvas), so callers measure their text first.

/** An axis-aligned rectangle in pixels (x, y = top left). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A label to place: its box size and the point its centre should be at. */
export interface LabelRequest {
  anchor: { x: number; y: number };
  width: number;
  height: number;
}

/** Whether two rectangles share area (touching edges do not overlap). */
export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Places `requests` in their order (most important first) inside the `bounds` rectangle at (0, 0): each at the
 * first free spot among its anchor and shifts by steps of half its height / a quarter of its width, up to `reach`
 * steps each way, nearest first (clamped into the bounds). A spot is free when no label placed before it is closer
 * than `gap` px. Returns a rectangle per request, or null where no spot is free (or the label exceeds the bounds).
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  bounds: { width: number; height: number },
  options: { reach?: number; gap?: number } = {},
): (Rect | null)[] {
  const reach = options.reach ?? 4, gap = options.gap ?? 2;
  const steps: { dx: number; dy: number }[] = [];
  for (let i = -reach; i <= reach; i++) for (let j = -reach; j <= reach; j++) steps.push({ dx: j / 4, dy: i / 2 });
  const placed: Rect[] = [];
  return requests.map(({ anchor, width, height }) => {
    if (width > bounds.width || height > bounds.height) return null;
    const nearestFirst = steps.toSorted((a, b) =>
      Math.hypot(a.dx * width, a.dy * height) - Math.hypot(b.dx * width, b.dy * height)
    );
    for (const { dx, dy } of nearestFirst) {
      const rect = {
        x: Math.min(Math.max(0, anchor.x - width / 2 + dx * width), bounds.width - width),
        y: Math.min(Math.max(0, anchor.y - height / 2 + dy * height), bounds.height - height),
        width,
        height,
      };
      const margin = { x: rect.x - gap, y: rect.y - gap, width: width + 2 * gap, height: height + 2 * gap };
      if (!placed.some((p) => overlaps(p, margin))) {
        placed.push(rect);
        return rect;
      }
    }
    return null;
  });
}
