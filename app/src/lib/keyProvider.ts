/**
 * An EIP-1193 provider that holds one private key and forwards everything else to a JSON-RPC node: it signs
 * transactions, typed data and messages locally with viem's local account, like a browser wallet would.
 *
 * Used by the local chain's dev connector (acting as a seeded persona with Hardhat's PUBLIC test keys) and by
 * the end-to-end tests' injected wallet. Never used with a real key: the app only loads it on chain 31337.
 */
import {
  type Address,
  type Hex,
  createWalletClient,
  hexToBigInt,
  http,
  type Chain,
  BaseError,
  RpcRequestError,
  type TypedDataDefinition,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** An EIP-1193 error object (what `window.ethereum.request` rejects with). */
export interface ProviderRpcError {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

export interface KeyProvider {
  readonly address: Address;
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>;
}

let rpcId = 0;

async function forward(url: string, method: string, params: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params: params ?? [] }),
    });
  } catch (error) {
    throw { code: -32603, message: `RPC ${url} unreachable: ${String(error)}` } satisfies ProviderRpcError;
  }
  const body = (await response.json()) as { result?: unknown; error?: ProviderRpcError };
  if (body.error !== undefined) throw body.error;
  return body.result;
}

/** The JSON-RPC error inside a viem error (code, message, revert data), for the page's wallet to reject with. */
function toProviderError(error: unknown): ProviderRpcError {
  if (error instanceof BaseError) {
    const rpc = error.walk((e) => e instanceof RpcRequestError) as RpcRequestError | null;
    if (rpc !== null) return { code: rpc.code, message: rpc.details, data: (rpc.cause as { data?: unknown } | undefined)?.data };
    const withData = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: unknown } | null;
    return { code: -32603, message: error.shortMessage, data: withData?.data };
  }
  if (typeof error === "object" && error !== null && "code" in error) return error as ProviderRpcError;
  return { code: -32603, message: String(error) };
}

interface TxParams {
  from?: Address;
  to?: Address;
  data?: Hex;
  value?: Hex;
  gas?: Hex;
  nonce?: Hex;
  maxFeePerGas?: Hex;
  maxPriorityFeePerGas?: Hex;
}

const optionalBig = (v: Hex | undefined): bigint | undefined => (v === undefined ? undefined : hexToBigInt(v));

/** A provider for `privateKey` on `chain`, sending through `rpcUrl`. */
export function createKeyProvider(privateKey: Hex, chain: Chain, rpcUrl: string): KeyProvider {
  const account = privateKeyToAccount(privateKey);
  const wallet = createWalletClient({ account, chain, transport: http(rpcUrl, { retryCount: 0 }) });
  const address = account.address;
  const own = (who: unknown): void => {
    if (typeof who === "string" && who.toLowerCase() !== address.toLowerCase()) {
      throw { code: 4100, message: `This wallet does not control ${who}` } satisfies ProviderRpcError;
    }
  };

  return {
    address,
    async request({ method, params }) {
      const p = (Array.isArray(params) ? params : []) as unknown[];
      switch (method) {
        case "eth_accounts":
        case "eth_requestAccounts":
          return [address];
        case "eth_chainId":
          return `0x${chain.id.toString(16)}`;
        case "wallet_requestPermissions":
        case "wallet_getPermissions":
          return [{ parentCapability: "eth_accounts" }];
        case "wallet_switchEthereumChain": {
          const wanted = Number((p[0] as { chainId?: string } | undefined)?.chainId);
          if (wanted !== chain.id) throw { code: 4902, message: `Unrecognized chain ${String(wanted)}` } satisfies ProviderRpcError;
          return null;
        }
        case "eth_sendTransaction": {
          const tx = p[0] as TxParams;
          own(tx.from);
          try {
            return await wallet.sendTransaction({
              account,
              chain,
              to: tx.to,
              data: tx.data,
              value: optionalBig(tx.value),
              gas: optionalBig(tx.gas),
              nonce: tx.nonce === undefined ? undefined : Number(hexToBigInt(tx.nonce)),
              maxFeePerGas: optionalBig(tx.maxFeePerGas),
              maxPriorityFeePerGas: optionalBig(tx.maxPriorityFeePerGas),
            });
          } catch (error) {
            throw toProviderError(error);
          }
        }
        case "eth_signTypedData_v4": {
          own(p[0]);
          const typed = (typeof p[1] === "string" ? JSON.parse(p[1]) : p[1]) as TypedDataDefinition;
          return account.signTypedData(typed);
        }
        case "personal_sign": {
          own(p[1]);
          return account.signMessage({ message: { raw: p[0] as Hex } });
        }
        case "eth_sign":
          throw { code: 4200, message: "eth_sign is not supported" } satisfies ProviderRpcError;
        default:
          return forward(rpcUrl, method, params);
      }
    },
  };
}
