#!/usr/bin/env python3
"""Numpy peer of the postprocess-metrics bench: panoptic quality over the frames in <prefix>.bin / <prefix>.json
(written by tools/bench/pq_peer.ts), computed the way panopticapi's pq_compute core loop does (per image: predicted
areas from the map, segment checks, joint histogram of gt*OFFSET+pred, matching at IoU > 0.5 with GT void removed
from the union, crowd/void-excused false positives; then the per-category average), in one process. Written from
the description in design/REFERENCE_ALGORITHMS.md section 2(a). Prints one JSON line: timing and the scores."""
import argparse
import json
import sys
import time

import numpy as np

OFFSET = 256 * 256 * 256
VOID = 0


def score_image(gt_ids, pred_ids, gt_segments, pred_segments, counts):
    """Adds one image's tp/fp/fn/iou to counts (category id -> dict)."""
    gt_info = {s["id"]: s for s in gt_segments}  # GT areas come from the JSON, as in panopticapi
    pred_info = {s["id"]: dict(s) for s in pred_segments}
    labels, areas = np.unique(pred_ids, return_counts=True)
    unseen = set(pred_info)
    for label, area in zip(labels.tolist(), areas.tolist()):
        if label not in pred_info:
            if label == VOID:
                continue
            raise KeyError(f"segment {label} is in the prediction map but not in its segments_info")
        if pred_info[label]["category_id"] not in counts:
            raise KeyError(f"segment {label} has unknown category_id {pred_info[label]['category_id']}")
        pred_info[label]["area"] = area
        unseen.discard(label)
    if unseen:
        raise KeyError(f"segments {sorted(unseen)} are in segments_info but not in the prediction map")

    joint = gt_ids.astype(np.uint64) * OFFSET + pred_ids.astype(np.uint64)
    pairs, sizes = np.unique(joint, return_counts=True)
    overlap = {(p // OFFSET, p % OFFSET): n for p, n in zip(pairs.tolist(), sizes.tolist())}

    gt_matched, pred_matched = set(), set()
    for (g, p), inter in overlap.items():
        if g not in gt_info or p not in pred_info:
            continue
        gs, ps = gt_info[g], pred_info[p]
        if gs["iscrowd"] == 1 or gs["category_id"] != ps["category_id"]:
            continue
        union = ps["area"] + gs["area"] - inter - overlap.get((VOID, p), 0)
        iou = inter / union
        if iou > 0.5:
            c = counts[gs["category_id"]]
            c["tp"] += 1
            c["iou"] += iou
            gt_matched.add(g)
            pred_matched.add(p)

    crowd_of = {}  # category -> its last crowd segment
    for g, gs in gt_info.items():
        if g in gt_matched:
            continue
        if gs["iscrowd"] == 1:
            crowd_of[gs["category_id"]] = g
        else:
            counts[gs["category_id"]]["fn"] += 1

    for p, ps in pred_info.items():
        if p in pred_matched:
            continue
        ignored = overlap.get((VOID, p), 0)
        if ps["category_id"] in crowd_of:
            ignored += overlap.get((crowd_of[ps["category_id"]], p), 0)
        if ignored / ps["area"] > 0.5:
            continue
        counts[ps["category_id"]]["fp"] += 1


def average(counts, categories, isthing=None):
    """Mean PQ/SQ/RQ over the categories (of one kind when isthing is given) with tp+fp+fn > 0."""
    total = {"pq": 0.0, "sq": 0.0, "rq": 0.0, "n": 0}
    for cat in categories:
        if isthing is not None and cat["isthing"] != isthing:
            continue
        c = counts[cat["id"]]
        if c["tp"] + c["fp"] + c["fn"] == 0:
            continue
        denom = c["tp"] + 0.5 * c["fp"] + 0.5 * c["fn"]
        total["pq"] += c["iou"] / denom
        total["sq"] += c["iou"] / c["tp"] if c["tp"] else 0.0
        total["rq"] += c["tp"] / denom
        total["n"] += 1
    n = total["n"]  # n == 0 divides by zero, as panopticapi does
    return {"pq": total["pq"] / n, "sq": total["sq"] / n, "rq": total["rq"] / n, "n": n}


def evaluate(maps, meta):
    categories = meta["categories"]
    counts = {c["id"]: {"tp": 0, "fp": 0, "fn": 0, "iou": 0.0} for c in categories}
    for k, frame in enumerate(meta["frames"]):
        score_image(maps[k, 0], maps[k, 1], frame["gt"], frame["pred"], counts)
    return {
        "all": average(counts, categories),
        "things": average(counts, categories, 1),
        "stuff": average(counts, categories, 0),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", required=True, help="path prefix of <prefix>.bin and <prefix>.json")
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with open(args.frames + ".json") as f:
        meta = json.load(f)
    count, height, width = len(meta["frames"]), meta["height"], meta["width"]
    raw = np.fromfile(args.frames + ".bin", dtype="<i4")
    if raw.size != count * 2 * height * width:
        sys.exit(f"{args.frames}.bin has {raw.size} values, expected {count}x2x{height}x{width}")
    maps = raw.reshape(count, 2, height, width).astype(np.uint32)  # panopticapi's ids are uint32 after rgb2id

    for _ in range(args.warmup):
        scores = evaluate(maps, meta)
    runs_ms, cpu_s = [], 0.0
    for _ in range(args.repeats):
        cpu0, t0 = time.process_time(), time.perf_counter()
        scores = evaluate(maps, meta)
        runs_ms.append((time.perf_counter() - t0) * 1000)
        cpu_s += time.process_time() - cpu0
    print(json.dumps({
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "frames": count,
        "timing": {
            "medianMs": float(np.median(runs_ms)),
            "runsMs": runs_ms,
            "coresUsed": cpu_s * 1000 / sum(runs_ms) if runs_ms else 0.0,
        },
        "scores": scores,
    }))


if __name__ == "__main__":
    main()
