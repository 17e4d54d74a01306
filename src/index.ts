// The Pulumi program of the `pledge` project (Pulumi.yaml: main: src/).
import { resolve } from "node:path";
import { catalogue } from "../promises";
import { pledgeProgram } from "./program";

// Pulumi runs the program from src/; request files and paths in config are relative to the project root.
export = async () => pledgeProgram({ catalogue, projectDir: resolve(__dirname, "..") });
