// One trained model's weights carried into a model built for another label set: fine-tuning a trained network on
// more classes, as detectron2 loads MODEL.WEIGHTS whose class head has another width. Every weight is carried as it
// is, except the semantic head's last convolution, whose output channels are classes: each class the two label sets
// share (`sharedClasses`) takes the trained class's channel; the others keep the new model's fresh initialisation.
import { type DatasetDescriptor, labelSetOfChannels, sharedClasses } from "../data/labels/descriptor.ts";
import { logitsLayer } from "./outputs.ts";

/** A model weight by its name in the model (tfjs-layers' originalName), with its shape and values. */
export interface NamedWeight {
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

export interface CarriedWeights {
  /** The target's weights, in its order. */
  values: Float32Array[];
  /** Where the label sets differ: the source's, the target's, and the target classes that start fresh. */
  labels: { from: DatasetDescriptor; to: DatasetDescriptor; fresh: string[] } | null;
}

const SEMANTIC_LOGITS = [`${logitsLayer("semantic")}/kernel`, `${logitsLayer("semantic")}/bias`];

const describe = (w: NamedWeight) => `${w.name} ${w.shape.join("x")}`;

/**
 * `target` (a freshly built model's weights) with `source`'s trained values carried in. Throws, naming the first
 * weight that differs, unless both have the same weights by name and shape but for the semantic head's class
 * channels.
 */
export function carryWeights(source: readonly NamedWeight[], target: readonly NamedWeight[]): CarriedWeights {
  if (source.length !== target.length) {
    throw new Error(`it has ${source.length} weights where this model has ${target.length}`);
  }
  const classes = (ws: readonly NamedWeight[]) => ws.find((w) => w.name === SEMANTIC_LOGITS[1])?.shape[0];
  const [sourceClasses, targetClasses] = [classes(source), classes(target)];
  const labels = sourceClasses === undefined || targetClasses === undefined || sourceClasses === targetClasses
    ? null
    : { from: labelSetOfChannels(sourceClasses), to: labelSetOfChannels(targetClasses) };
  const shared = labels && sharedClasses(labels.from, labels.to);
  const values = target.map((t, i) => {
    const s = source[i];
    const sameShape = s.shape.join() === t.shape.join();
    if (s.name === t.name && sameShape) return s.values.slice();
    if (s.name !== t.name || !shared || !SEMANTIC_LOGITS.includes(t.name)) {
      throw new Error(`its weight ${describe(s)} is ${describe(t)} in this model`);
    }
    // Kernel [1, 1, inputs, classes] or bias [classes]: class is the fastest-moving index.
    const out = t.values.slice();
    const rows = t.values.length / t.shape[t.shape.length - 1];
    const [from, to] = [s.shape[s.shape.length - 1], t.shape[t.shape.length - 1]];
    shared.forEach((sc, tc) => {
      if (sc >= 0) { for (let r = 0; r < rows; r++) out[r * to + tc] = s.values[r * from + sc]; }
    });
    return out;
  });
  return {
    values,
    labels: labels && {
      ...labels,
      fresh: labels.to.classes.filter((c) => shared![c.id] === -1).map((c) => c.name),
    },
  };
}
