// Imported first by the CLI's entry point, before the Pulumi SDK and the
// Kubernetes client: Node keeps their compiled code on disk between runs
// (NODE_COMPILE_CACHE, else a directory under the system's temporary one),
// which takes about a third off every command's start. Node 22.1+; older
// ones simply compile as before.
import * as nodeModule from "node:module";

(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
