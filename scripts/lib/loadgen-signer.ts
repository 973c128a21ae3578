/**
 * The load generator's secp256k1 work (viem's accounts, i.e. @noble/curves), off the main thread: citizen addresses
 * from their keys, EIP-712 digests signed by citizens, and the generator's signed transactions. Run as a
 * `worker_threads` worker by `scripts/lib/loadgen-run.ts`, which also calls `handle` directly when it runs without
 * workers. Each answer carries the CPU time its work took, so the report can say what signing costs.
 */
import { parentPort } from "node:worker_threads";

import type { Hex, TransactionSerializableEIP1559 } from "viem";
import { privateKeyToAddress, sign, signTransaction } from "viem/accounts";

/** A request to the signer. */
export type SignerRequest =
  | { readonly kind: "addresses"; readonly keys: readonly Hex[] }
  | { readonly kind: "digests"; readonly items: readonly { readonly hash: Hex; readonly key: Hex }[] }
  | {
      readonly kind: "transactions";
      readonly items: readonly { readonly key: Hex; readonly tx: TransactionSerializableEIP1559 }[];
    };

/** The signer's answer: one hex string per item, in order, and the seconds the work took. */
export interface SignerAnswer {
  readonly results: Hex[];
  readonly seconds: number;
}

/** Do one request. */
export async function handle(request: SignerRequest): Promise<SignerAnswer> {
  const started = performance.now();
  const results: Hex[] = [];
  if (request.kind === "addresses") for (const key of request.keys) results.push(privateKeyToAddress(key));
  else if (request.kind === "digests") {
    for (const { hash, key } of request.items) results.push(await sign({ hash, privateKey: key, to: "hex" }));
  } else {
    for (const { key, tx } of request.items) results.push(await signTransaction({ privateKey: key, transaction: tx }));
  }
  return { results, seconds: (performance.now() - started) / 1000 };
}

parentPort?.on("message", (message: { id: number; request: SignerRequest }) => {
  handle(message.request).then(
    (answer) => parentPort?.postMessage({ id: message.id, answer }),
    (error: unknown) =>
      parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
