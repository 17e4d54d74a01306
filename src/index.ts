// The Pulumi program of the `pledge` project (Pulumi.yaml: main: src/).
import { catalogue } from "../promises";
import { pledgeProgram } from "./program";

export = async () => pledgeProgram({ catalogue, projectDir: process.cwd() });
