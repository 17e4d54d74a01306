// ACME's platform: Pledge's program with ACME's own catalogue. Everything
// else (which clusters, which promises are offered, who asked for what) is in
// the stack config, Pulumi.<stack>.yaml.
import { definePlatform } from "pledge";
import { staticSite } from "./promises/static-site";

export = definePlatform({ catalogue: [staticSite] });
