// `deno task train`: not available yet — it arrives with the panoptic model and trainer.
console.error("deno task train is not yet available: it arrives with the panoptic model and trainer.");
Deno.exit(2);
