// `deno task eval`: not available yet — it arrives with post-processing, metrics and the evaluation CLI.
console.error("deno task eval is not yet available: it arrives with post-processing, metrics and the evaluation CLI.");
Deno.exit(2);
