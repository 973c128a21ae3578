/**
 * One contract write, the way every page does it: simulate (so a refusal is caught and explained before the
 * wallet opens) → ask the wallet to sign and send → wait for the receipt (following a sped-up replacement) →
 * refresh the reads. Each stage is a state the UI shows (TxStatus), and every failure a sentence.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import type { Abi, Address, ContractFunctionArgs, ContractFunctionName, Hash, TransactionReceipt } from "viem";
import { useConfig, useConnection } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";

import { chain } from "../config.ts";
import type { ErrorSentence } from "../lib/errors.ts";
import { useErrorText } from "./useErrorText.ts";

export type TxState =
  | { readonly status: "idle" }
  | { readonly status: "simulating" }
  | { readonly status: "signing" }
  | { readonly status: "pending"; readonly hash: Hash }
  | { readonly status: "replaced"; readonly hash: Hash; readonly previous: Hash }
  | { readonly status: "confirmed"; readonly hash: Hash; readonly receipt: TransactionReceipt }
  | { readonly status: "failed"; readonly error: ErrorSentence; readonly hash?: Hash };

type Writable = "nonpayable" | "payable";

export interface TxRequest<
  abi extends Abi,
  functionName extends ContractFunctionName<abi, Writable>,
  args extends ContractFunctionArgs<abi, Writable, functionName>,
> {
  readonly address: `0x${string}`;
  readonly abi: abi;
  readonly functionName: functionName;
  readonly args: args;
}

/** The account a write can start from, or why it cannot (no account, or another chain) as a sentence. */
export function connectedAccount(
  status: string,
  address: Address | undefined,
  chainId: number | undefined,
): { readonly account: Address } | { readonly error: ErrorSentence } {
  if (status !== "connected" || address === undefined) return { error: { key: "errors:wallet.notConnected", values: {} } };
  if (chainId !== chain.id) {
    return { error: { key: "errors:wallet.wrongNetwork", values: { actual: String(chainId), expected: String(chain.id) } } };
  }
  return { account: address };
}

export function useContractTx() {
  const config = useConfig();
  const { address, chainId, status: connectionStatus } = useConnection();
  const queryClient = useQueryClient();
  const { describe } = useErrorText();
  const [state, setState] = useState<TxState>({ status: "idle" });
  const running = useRef(false);

  const send = useCallback(
    async <
      const abi extends Abi,
      functionName extends ContractFunctionName<abi, Writable>,
      const args extends ContractFunctionArgs<abi, Writable, functionName>,
    >(
      request: TxRequest<abi, functionName, args>,
    ): Promise<TransactionReceipt | null> => {
      if (running.current) return null;
      const connected = connectedAccount(connectionStatus, address, chainId);
      if ("error" in connected) {
        setState({ status: "failed", error: connected.error });
        return null;
      }
      running.current = true;
      let hash: Hash | undefined;
      try {
        setState({ status: "simulating" });
        // The generic request is one of the contract's write functions; viem checks its arguments here.
        const { request: prepared } = await simulateContract(config, {
          ...(request as unknown as Parameters<typeof simulateContract>[1]),
          account: connected.account,
          chainId: chain.id,
        });
        setState({ status: "signing" });
        hash = await writeContract(config, prepared);
        const sent: Hash = hash;
        setState({ status: "pending", hash: sent });
        // A replacement that only re-prices keeps waiting on the new hash; one that cancels or does something
        // else means the user's action did not happen.
        let dropped = false;
        const receipt = await waitForTransactionReceipt(config, {
          hash: sent,
          chainId: chain.id,
          timeout: 120_000,
          onReplaced: (replacement) => {
            if (replacement.reason === "repriced") {
              setState({ status: "replaced", hash: replacement.transaction.hash, previous: sent });
            } else {
              dropped = true;
            }
          },
        });
        if (dropped) {
          setState({ status: "failed", hash: receipt.transactionHash, error: { key: "errors:wallet.cancelled", values: {} } });
          return null;
        }
        if (receipt.status !== "success") {
          setState({ status: "failed", hash: receipt.transactionHash, error: { key: "errors:wallet.reverted", values: {} } });
          return null;
        }
        setState({ status: "confirmed", hash: receipt.transactionHash, receipt });
        await queryClient.invalidateQueries();
        return receipt;
      } catch (error) {
        setState({ status: "failed", hash, error: describe(error) });
        return null;
      } finally {
        running.current = false;
      }
    },
    [address, chainId, config, connectionStatus, describe, queryClient],
  );

  const reset = useCallback(() => setState({ status: "idle" }), []);
  const busy = state.status === "simulating" || state.status === "signing" || state.status === "pending" || state.status === "replaced";
  return { state, send, reset, busy };
}
