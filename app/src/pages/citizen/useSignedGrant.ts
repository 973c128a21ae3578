/**
 * A grant made by signature: check it against the chain (simulate `grant` as the citizen, so a refusal is
 * explained before the wallet opens) → read the keyed nonce → the wallet signs the EIP-712 `Grant` → the relayer
 * simulates `grantBySig` and sends it → wait for the receipt → refresh. Each stage is a state the page shows;
 * every failure a sentence (a rejected signature, a relayer refusal decoded from the contract's custom error,
 * an unreachable relayer).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import type { Address } from "viem";
import { readContract } from "viem/actions";
import { useClient, useConfig, useConnection } from "wagmi";
import { signTypedData, simulateContract, waitForTransactionReceipt } from "wagmi/actions";

import { CONSENT_DOMAIN, CONSENT_TYPES } from "../../../../scripts/lib/consent-typed-data.ts";
import { chain, RELAYER_URL } from "../../config.ts";
import { consentRegistry } from "../../contracts.ts";
import type { TxState } from "../../hooks/useContractTx.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { chainNow } from "./chain.ts";
import { consentNonceKey, SIGNATURE_DEADLINE_SECONDS } from "./logic.ts";
import { RelayError, relayGrant } from "./relayerClient.ts";

export type RelayState = TxState | { readonly status: "relaying" };

export interface GrantInput {
  readonly grantee: Address;
  readonly category: number;
  readonly purpose: number;
  readonly expiresAt: number;
}

export function useSignedGrant() {
  const config = useConfig();
  const client = useClient();
  const { address, chainId, status: connectionStatus } = useConnection();
  const queryClient = useQueryClient();
  const { describe } = useErrorText();
  const [state, setState] = useState<RelayState>({ status: "idle" });
  const running = useRef(false);

  const grant = useCallback(
    async (input: GrantInput): Promise<boolean> => {
      if (running.current || client === undefined) return false;
      if (connectionStatus !== "connected" || address === undefined) {
        setState({ status: "failed", error: { key: "errors:wallet.notConnected", values: {} } });
        return false;
      }
      if (chainId !== chain.id) {
        setState({
          status: "failed",
          error: { key: "errors:wallet.wrongNetwork", values: { actual: String(chainId), expected: String(chain.id) } },
        });
        return false;
      }
      running.current = true;
      try {
        setState({ status: "simulating" });
        const expiresAt = BigInt(input.expiresAt);
        // The same checks grantBySig makes after the signature (category, purpose, expiry, grantee active).
        await simulateContract(config, {
          ...consentRegistry,
          functionName: "grant",
          args: [input.grantee, input.category, input.purpose, expiresAt],
          account: address,
          chainId: chain.id,
        });
        const [nonce, now] = await Promise.all([
          readContract(client, {
            ...consentRegistry,
            functionName: "nonces",
            args: [address, consentNonceKey(input.grantee, input.category)],
          }),
          chainNow(client),
        ]);
        const message = {
          citizen: address,
          grantee: input.grantee,
          category: input.category,
          purpose: input.purpose,
          expiresAt,
          nonce,
          deadline: BigInt(now + SIGNATURE_DEADLINE_SECONDS),
        };
        setState({ status: "signing" });
        const signature = await signTypedData(config, {
          account: address,
          domain: { ...CONSENT_DOMAIN, chainId: chain.id, verifyingContract: consentRegistry.address },
          types: CONSENT_TYPES,
          primaryType: "Grant",
          message,
        });
        setState({ status: "relaying" });
        const hash = await relayGrant(RELAYER_URL, { ...message, signature });
        setState({ status: "pending", hash });
        const receipt = await waitForTransactionReceipt(config, { hash, chainId: chain.id, timeout: 120_000 });
        if (receipt.status !== "success") {
          setState({ status: "failed", hash, error: { key: "errors:wallet.reverted", values: {} } });
          return false;
        }
        setState({ status: "confirmed", hash, receipt });
        await queryClient.invalidateQueries();
        return true;
      } catch (error) {
        setState({
          status: "failed",
          error: error instanceof RelayError && error.sentence !== undefined ? error.sentence : describe(error),
        });
        return false;
      } finally {
        running.current = false;
      }
    },
    [address, chainId, client, config, connectionStatus, describe, queryClient],
  );

  const reset = useCallback(() => setState({ status: "idle" }), []);
  const busy = state.status !== "idle" && state.status !== "confirmed" && state.status !== "failed";
  return { state, grant, reset, busy };
}
