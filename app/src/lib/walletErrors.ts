/**
 * Wallet- and transport-level failures (no contract ABI needed, so the shell can use it without loading the
 * ABIs): rejected requests, unreachable RPC, funds, nonces, timeouts. `errors.ts` builds on it.
 */
import {
  BaseError,
  ChainMismatchError,
  HttpRequestError,
  InsufficientFundsError,
  NonceTooLowError,
  TimeoutError,
  TransactionReceiptNotFoundError,
  UserRejectedRequestError,
  WaitForTransactionReceiptTimeoutError,
} from "viem";

/** A sentence to show: i18next key (with namespace) and interpolation values. */
export interface ErrorSentence {
  readonly key: string;
  readonly values: Readonly<Record<string, string>>;
  /** The decoded custom error name, when the contract refused. */
  readonly errorName?: string;
}

/** The sentence of a wallet/transport failure, or null when `error` is something else (e.g. a contract refusal). */
export function describeWalletError(error: unknown): ErrorSentence | null {
  if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === 4001) {
    return { key: "errors:wallet.userRejected", values: {} };
  }
  if (!(error instanceof BaseError)) return null;
  if (error.walk((e) => e instanceof UserRejectedRequestError) !== null) return { key: "errors:wallet.userRejected", values: {} };
  if (error.walk((e) => e instanceof ChainMismatchError) !== null) return { key: "errors:wallet.wrongNetworkGeneric", values: {} };
  if (error.walk((e) => e instanceof InsufficientFundsError) !== null) return { key: "errors:wallet.insufficientFunds", values: {} };
  if (error.walk((e) => e instanceof NonceTooLowError) !== null) return { key: "errors:wallet.nonceTooLow", values: {} };
  if (
    error.walk((e) => e instanceof WaitForTransactionReceiptTimeoutError || e instanceof TransactionReceiptNotFoundError) !== null
  ) {
    return { key: "errors:wallet.timeout", values: {} };
  }
  const http = error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError);
  if (http !== null) return { key: "errors:wallet.rpcUnreachable", values: { url: (http as HttpRequestError).url ?? "" } };
  return null;
}

/** Any error as a sentence, without decoding contract errors. */
export function describeAnyWalletError(error: unknown): ErrorSentence {
  const known = describeWalletError(error);
  if (known !== null) return known;
  const message = error instanceof BaseError ? error.shortMessage : error instanceof Error ? error.message : String(error);
  return { key: "errors:fallback.unknown", values: { message } };
}
