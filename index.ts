// This repository's own platform: Pledge's catalogue on the Pledge program.
// Pulumi.yaml points here (main: index.ts). A platform built on Pledge as a
// library looks the same: see examples/own-platform.
import { definePlatform } from "./src";
import { catalogue } from "./promises";

export = definePlatform({ catalogue });
