// The project root (the folder holding deno.json), for defaults that name the project's own folders (data/, runs/).
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
