/**
 * The deployment this indexer reads: the JSON file named by HEALTHTRACE_INDEXER_DEPLOYMENT (scripts/lib/indexer.ts
 * writes it). Read once, by the config and by the API.
 */
import { readFileSync } from "node:fs";

import { INDEXER_DEPLOYMENT_ENV, type IndexerDeployment } from "../../scripts/lib/indexer.ts";

function read(): IndexerDeployment {
  const file = process.env[INDEXER_DEPLOYMENT_ENV];
  if (file === undefined || file === "") {
    throw new Error(`${INDEXER_DEPLOYMENT_ENV} must name the deployment JSON file (see scripts/lib/indexer.ts)`);
  }
  return JSON.parse(readFileSync(file, "utf8")) as IndexerDeployment;
}

export const deployment: IndexerDeployment = read();
