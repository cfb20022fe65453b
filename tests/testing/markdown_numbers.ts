// Finds numbers typed into notebook markdown: every digit is flagged unless it sits in a citation of external work,
// a licence name, a code span, a link target or a name that carries digits (MobileNetV2, deeplab2).

/** Spans whose digits are allowed, each a small rule of its own. */
export const ALLOWED_NUMBER_SPANS: Record<string, RegExp> = {
  /** Inline code: file names, flags, identifiers — `01-data.ipynb`, `--workers 2`. */
  codeSpan: /`[^`\n]*`/g,
  /** A link's target: (notebooks/01-data.ipynb). */
  linkTarget: /\]\([^)\s]*\)/g,
  /** A venue or acronym with its year: CVPR 2012, ECCV 2022, NeurIPS 2021, KITTI 2015. */
  venueYear: /\b[A-Z][A-Za-z]*[A-Z] (?:19|20)\d\d\b/g,
  /** An author-year citation: Cheng et al. 2020, Cheng et al., 2020. */
  authorYear: /\bet al\.,? (?:19|20)\d\d\b/g,
  /** An arXiv identifier: arXiv 1901.02446, arXiv:1901.02446. */
  arxiv: /\barXiv[: ]\d{4}\.\d{4,5}\b/g,
  /** A licence name with its version: CC BY-NC-SA 3.0, CC0 1.0, Apache-2.0, GPL-3.0, BSD-3-Clause. */
  licence: /\b(?:CC BY(?:-(?:NC|SA|ND))* \d\.\d|CC0(?: \d\.\d)?|(?:Apache|A?GPL|LGPL|MPL)-\d\.\d|BSD-\d-Clause)/g,
  /** A name with digits glued to letters, no space: MobileNetV2, Mask2Former, deeplab2 (not 256x512, not 0.55). */
  digitName: /\b[A-Za-z]+\d[A-Za-z\d]*\b/g,
};

/** One typed number: the digits' text and the line they are on. */
export interface TypedNumber {
  text: string;
  line: string;
}

/** The numbers in `markdown` that none of ALLOWED_NUMBER_SPANS covers. */
export function typedNumbers(markdown: string): TypedNumber[] {
  const found: TypedNumber[] = [];
  for (const line of markdown.split("\n")) {
    let masked = line;
    for (const rule of Object.values(ALLOWED_NUMBER_SPANS)) masked = masked.replace(rule, (m) => " ".repeat(m.length));
    for (const m of masked.matchAll(/\d+(?:[.,]\d+)*/g)) found.push({ text: m[0], line });
  }
  return found;
}
