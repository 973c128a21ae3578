/**
 * The record-vault session of the connected account: restored from sessionStorage (per account and chain),
 * dropped when the account changes or the vault says it ended; sign-in signs an EIP-4361 message with the
 * wallet. `call` runs a request with the token and turns a session-ending refusal into "signed out".
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useConfig, useConnection } from "wagmi";
import { signMessage } from "wagmi/actions";

import { chain, VAULT_URL } from "../../config.ts";
import { useErrorText } from "../../hooks/useErrorText.ts";
import {
  buildSignInMessage,
  dropOtherSessions,
  dropSession,
  loadSession,
  saveSession,
  SESSION_ENDING_CODES,
  sessionStorageKey,
  VaultClient,
  vaultErrorSentence,
  VaultRequestError,
  type VaultSession,
} from "../../lib/vault.ts";

export const vaultClient = new VaultClient(VAULT_URL);

/** A failure as shown: the sentence and a stable code (the vault's code when it refused). */
export interface Problem {
  readonly message: string;
  readonly code: string;
}

export function useProblemText(): (error: unknown) => Problem {
  const { t } = useTranslation("records");
  const { describe, text } = useErrorText();
  return useCallback(
    (error: unknown) => {
      const sentence = vaultErrorSentence(error, VAULT_URL);
      if (sentence !== null) return { message: t(sentence.key, sentence.values), code: sentence.errorName ?? sentence.key };
      const s = describe(error);
      return { message: text(s), code: s.errorName ?? s.key };
    },
    [describe, t, text],
  );
}

export interface VaultAccess {
  readonly session: VaultSession | null;
  readonly signingIn: boolean;
  readonly signInProblem: Problem | null;
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  /** Run a request with the session's token (refused without a session). */
  call<T>(request: (token: string) => Promise<T>): Promise<T>;
}

export function useVaultSession(): VaultAccess {
  const config = useConfig();
  const { address } = useConnection();
  const { t } = useTranslation("records");
  const problemText = useProblemText();
  const [session, setSession] = useState<VaultSession | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const [signInProblem, setSignInProblem] = useState<Problem | null>(null);

  // Another account (or none): its session only; every other stored session is dropped.
  useEffect(() => {
    dropOtherSessions(address === undefined ? null : sessionStorageKey(address, chain.id));
    setSession(address === undefined ? null : loadSession(address, chain.id));
    setSignInProblem(null);
  }, [address]);

  const signIn = useCallback(async () => {
    if (address === undefined) return;
    setSigningIn(true);
    setSignInProblem(null);
    try {
      const { nonce } = await vaultClient.nonce(address);
      const message = buildSignInMessage({
        address,
        chainId: chain.id,
        nonce,
        domain: window.location.host,
        uri: window.location.origin,
        statement: t("signIn.statement"),
        issuedAt: new Date(),
      });
      const signature = await signMessage(config, { account: address, message });
      const opened = await vaultClient.verify(message, signature);
      saveSession(opened);
      setSession(opened);
    } catch (error) {
      setSignInProblem(problemText(error));
    } finally {
      setSigningIn(false);
    }
  }, [address, config, problemText, t]);

  const signOut = useCallback(async () => {
    if (session === null) return;
    dropSession(session.address, session.chainId);
    setSession(null);
    try {
      await vaultClient.logout(session.token);
    } catch {
      // the local session is gone either way
    }
  }, [session]);

  const call = useCallback(
    async <T,>(request: (token: string) => Promise<T>): Promise<T> => {
      if (session === null) throw new VaultRequestError("VaultUnauthenticated", 401, "not signed in");
      try {
        return await request(session.token);
      } catch (error) {
        if (error instanceof VaultRequestError && SESSION_ENDING_CODES.includes(error.code)) {
          dropSession(session.address, session.chainId);
          setSession(null);
        }
        throw error;
      }
    },
    [session],
  );

  return useMemo(() => ({ session, signingIn, signInProblem, signIn, signOut, call }), [call, session, signIn, signInProblem, signOut, signingIn]);
}
