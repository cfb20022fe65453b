// `deno task predict`: not available yet — it arrives with the panoptic model and post-processing.
console.error("deno task predict is not yet available: it arrives with the panoptic model and post-processing.");
Deno.exit(2);
