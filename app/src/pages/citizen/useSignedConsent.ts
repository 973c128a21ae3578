/**
 * A grant or a revocation made by signature, for a wallet that holds no ether: check it against the chain (simulate
 * `grant` / `revoke` as the citizen, so a refusal is explained before the wallet opens) → read the keyed nonce → the
 * wallet signs the EIP-712 `Grant` / `Revoke` → the relayer simulates `grantBySig` / `revokeBySig` and sends it →
 * wait for the receipt → refresh. Each stage is a state the page shows; every failure a sentence (a rejected
 * signature, a relayer refusal decoded from the contract's custom error, an unreachable relayer).
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import type { Address, Hash } from "viem";
import { readContract } from "viem/actions";
import { useClient, useConfig, useConnection } from "wagmi";
import { signTypedData, simulateContract, waitForTransactionReceipt } from "wagmi/actions";

import { CONSENT_DOMAIN, CONSENT_TYPES } from "../../../../scripts/lib/consent-typed-data.ts";
import { chain, RELAYER_URL } from "../../config.ts";
import { consentRegistry } from "../../contracts.ts";
import { connectedAccount, type TxState } from "../../hooks/useContractTx.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import { chainNow } from "./chain.ts";
import { consentNonceKey, SIGNATURE_DEADLINE_SECONDS } from "./logic.ts";
import { RelayError, relayGrant, relayRevoke } from "./relayerClient.ts";

export type RelayState = TxState | { readonly status: "relaying" };

export interface GrantInput {
  readonly grantee: Address;
  readonly category: number;
  readonly purpose: number;
  readonly expiresAt: number;
}

export interface RevokeInput {
  readonly grantee: Address;
  readonly category: number;
}

/** What differs between a signed grant and a signed revocation, given the citizen. */
interface SignedAction {
  readonly grantee: Address;
  readonly category: number;
  /** The direct call's own checks, as the citizen (grantBySig / revokeBySig make the same after the signature). */
  readonly simulate: (citizen: Address) => Promise<unknown>;
  /** Sign the message with this nonce and deadline, and hand it to the relayer. */
  readonly signAndRelay: (citizen: Address, nonce: bigint, deadline: bigint, setSigning: () => void, setRelaying: () => void) => Promise<Hash>;
}

export function useSignedConsent() {
  const config = useConfig();
  const client = useClient();
  const { address, chainId, status: connectionStatus } = useConnection();
  const queryClient = useQueryClient();
  const { describe } = useErrorText();
  const [state, setState] = useState<RelayState>({ status: "idle" });
  const running = useRef(false);

  const run = useCallback(
    async (action: SignedAction): Promise<boolean> => {
      if (running.current || client === undefined) return false;
      const connected = connectedAccount(connectionStatus, address, chainId);
      if ("error" in connected) {
        setState({ status: "failed", error: connected.error });
        return false;
      }
      const citizen = connected.account;
      running.current = true;
      try {
        setState({ status: "simulating" });
        await action.simulate(citizen);
        const [nonce, now] = await Promise.all([
          readContract(client, {
            ...consentRegistry,
            functionName: "nonces",
            args: [citizen, consentNonceKey(action.grantee, action.category)],
          }),
          chainNow(client),
        ]);
        const hash = await action.signAndRelay(
          citizen,
          nonce,
          BigInt(now + SIGNATURE_DEADLINE_SECONDS),
          () => setState({ status: "signing" }),
          () => setState({ status: "relaying" }),
        );
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

  const domain = { ...CONSENT_DOMAIN, chainId: chain.id, verifyingContract: consentRegistry.address };

  const grant = (input: GrantInput): Promise<boolean> => {
    const expiresAt = BigInt(input.expiresAt);
    return run({
      grantee: input.grantee,
      category: input.category,
      simulate: (citizen) =>
        simulateContract(config, {
          ...consentRegistry,
          functionName: "grant",
          args: [input.grantee, input.category, input.purpose, expiresAt],
          account: citizen,
          chainId: chain.id,
        }),
      signAndRelay: async (citizen, nonce, deadline, setSigning, setRelaying) => {
        const message = { citizen, grantee: input.grantee, category: input.category, purpose: input.purpose, expiresAt, nonce, deadline };
        setSigning();
        const signature = await signTypedData(config, { account: citizen, domain, types: CONSENT_TYPES, primaryType: "Grant", message });
        setRelaying();
        return relayGrant(RELAYER_URL, { ...message, signature });
      },
    });
  };

  const revoke = (input: RevokeInput): Promise<boolean> =>
    run({
      grantee: input.grantee,
      category: input.category,
      simulate: (citizen) =>
        simulateContract(config, {
          ...consentRegistry,
          functionName: "revoke",
          args: [input.grantee, input.category],
          account: citizen,
          chainId: chain.id,
        }),
      signAndRelay: async (citizen, nonce, deadline, setSigning, setRelaying) => {
        const message = { citizen, grantee: input.grantee, category: input.category, nonce, deadline };
        setSigning();
        const signature = await signTypedData(config, { account: citizen, domain, types: CONSENT_TYPES, primaryType: "Revoke", message });
        setRelaying();
        return relayRevoke(RELAYER_URL, { ...message, signature });
      },
    });

  const reset = useCallback(() => setState({ status: "idle" }), []);
  const busy = state.status !== "idle" && state.status !== "confirmed" && state.status !== "failed";
  return { state, grant, revoke, reset, busy };
}
