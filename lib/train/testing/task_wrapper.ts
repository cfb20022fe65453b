// Test helper run as a subprocess: a stand-in for `npx deno task train …`, which runs node → sh → deno task →
// deno run and, when sent SIGTERM, ends without passing it on. It runs `sh -c "deno task train <args>"` with the
// output inherited, prints its pid, and waits; SIGTERM ends it at once (the default action), as it ends npx.
const deno = Deno.execPath();
const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
const command = [deno, "task", "train", ...Deno.args].map(quote).join(" ");
const child = new Deno.Command("sh", { args: ["-c", command] }).spawn();
console.log(`wrapper ${Deno.pid}`);
Deno.exit((await child.status).code);
