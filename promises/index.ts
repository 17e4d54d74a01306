// The catalogue: every promise this platform can offer. Stack config chooses
// which are offered on a stack (pledge:promises) and may narrow where.
import type { PledgePromise } from "../src";
import { postgres } from "./postgres";
import { redis } from "./redis";
import { webApp } from "./web-app";

export const catalogue: readonly PledgePromise<any>[] = [redis, postgres, webApp];
