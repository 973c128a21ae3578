/**
 * The vault's view of the chain, through a viem transport it is given: `http(rpcUrl)` in production, or
 * `custom(provider)` over Hardhat's in-process network in the tests.
 *
 * Reads are pinned to one block ("the moment" of a decision), so the anchor, the grant and the reader's
 * accreditation are all read from the same state. Any failure to read becomes `VaultChainUnavailable`: when the
 * vault cannot ask the chain, it serves nothing. The gatekeeper's `logAccess` transactions are sent one at a
 * time (each takes the next pending nonce) and their receipts awaited before a record is served.
 */
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  type Hex,
  parseAbi,
  type PublicClient,
  type Transport,
  type WalletClient,
  zeroAddress,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

import { ROLE_IDS } from "../../scripts/lib/personas.ts";
import { VaultError } from "./errors.ts";

/** The fragments of the HealthTrace ABIs the vault uses (checked against the compiled artifacts by the tests). */
export const recordRegistryAbi = parseAbi([
  "function anchor(address subject, uint8 category, bytes32 contentHash)",
  "function anchorOf(bytes32 contentHash) view returns ((address subject, uint8 category, uint40 anchoredAt, address issuer))",
  "function authority() view returns (address)",
]);
export const consentRegistryAbi = parseAbi([
  "function hasAccess(address citizen, address reader, uint8 category) view returns (bool)",
  "function grantOf(address citizen, address grantee, uint8 category) view returns ((uint8 purpose, uint64 grantedAt, uint64 expiresAt))",
  "function logAccess(address citizen, address reader, uint8 category, bytes32 recordId)",
  "function authority() view returns (address)",
  "event AccessLogged(address indexed citizen, address indexed reader, bytes32 indexed recordId, uint8 category)",
  "error ConsentRegistryUnauthorized(address account)",
  "error ConsentRegistryZeroAddress()",
  "error ConsentRegistryUnknownCategory(uint8 category)",
  "error ConsentRegistryZeroRecord()",
]);
export const authorityAbi = parseAbi([
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function isActive(address account) view returns (bool)",
]);

const RECORD_ISSUER_ROLE = ROLE_IDS.RECORD_ISSUER_ROLE as Hex;
const GATEKEEPER_ROLE = ROLE_IDS.GATEKEEPER_ROLE as Hex;

export interface ChainOptions {
  readonly transport: Transport;
  readonly recordRegistry: Address;
  readonly consentRegistry: Address;
  /** The gatekeeper's key (holds GATEKEEPER_ROLE): signs `logAccess`. */
  readonly gatekeeperPrivateKey: Hex;
  /** Receipt polling interval (default 500 ms). */
  readonly pollingIntervalMs?: number;
  /** How long to wait for a `logAccess` receipt before giving up and serving nothing (default 60 s). */
  readonly receiptTimeoutMs?: number;
}

/** A block: the moment a decision is made. */
export interface Moment {
  readonly number: bigint;
  /** Block timestamp, Unix seconds. */
  readonly timestamp: number;
}

/** An on-chain record anchor. */
export interface Anchor {
  readonly subject: Address;
  readonly category: number;
  readonly anchoredAt: number;
  readonly issuer: Address;
}

/** Why a third-party read is refused (or not). */
export type AccessDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly code: "VaultNoGrant" | "VaultGrantExpired" | "VaultReaderNotActive" };

/** The receipt of a logged read. */
export interface LoggedAccess {
  readonly txHash: Hex;
  readonly blockNumber: bigint;
}

export class VaultChain {
  readonly recordRegistry: Address;
  readonly consentRegistry: Address;
  readonly gatekeeper: Address;
  readonly #client: PublicClient;
  readonly #transport: Transport;
  readonly #account: PrivateKeyAccount;
  readonly #receiptTimeoutMs: number;
  #chainId: number | undefined;
  #authority: Address | undefined;
  #wallet: WalletClient<Transport, Chain, PrivateKeyAccount> | undefined;
  #sending: Promise<unknown> = Promise.resolve();

  constructor(options: ChainOptions) {
    this.recordRegistry = getAddress(options.recordRegistry);
    this.consentRegistry = getAddress(options.consentRegistry);
    this.#transport = options.transport;
    this.#account = privateKeyToAccount(options.gatekeeperPrivateKey);
    this.gatekeeper = this.#account.address;
    this.#receiptTimeoutMs = options.receiptTimeoutMs ?? 60_000;
    this.#client = createPublicClient({ transport: options.transport, pollingInterval: options.pollingIntervalMs ?? 500 });
  }

  /** Run a chain read; any failure means "the chain is unreachable": serve nothing. */
  async #read<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof VaultError) throw error;
      throw new VaultError("VaultChainUnavailable", what, { cause: error });
    }
  }

  /** The chain id (asked once, then cached). */
  async chainId(): Promise<number> {
    if (this.#chainId === undefined) {
      this.#chainId = await this.#read("eth_chainId", () => this.#client.getChainId());
    }
    return this.#chainId;
  }

  /** The authority whose roles the registries check (read from the record registry once). */
  async authority(): Promise<Address> {
    if (this.#authority === undefined) {
      this.#authority = await this.#read("authority()", () =>
        this.#client.readContract({ address: this.recordRegistry, abi: recordRegistryAbi, functionName: "authority" }),
      );
    }
    return this.#authority;
  }

  /** The latest block: the moment of a decision. */
  async moment(): Promise<Moment> {
    const block = await this.#read("eth_getBlockByNumber", () => this.#client.getBlock({ blockTag: "latest" }));
    return { number: block.number, timestamp: Number(block.timestamp) };
  }

  /** The anchor of `recordId` at `at`, or null if none. */
  async anchorOf(recordId: Hex, at: Moment): Promise<Anchor | null> {
    const a = await this.#read("anchorOf", () =>
      this.#client.readContract({
        address: this.recordRegistry,
        abi: recordRegistryAbi,
        functionName: "anchorOf",
        args: [recordId],
        blockNumber: at.number,
      }),
    );
    if (a.subject === zeroAddress) return null;
    return { subject: getAddress(a.subject), category: a.category, anchoredAt: a.anchoredAt, issuer: getAddress(a.issuer) };
  }

  /** Whether `account` may file records: it holds RECORD_ISSUER_ROLE and is an active accredited organisation. */
  async isProvider(account: Address, at: Moment): Promise<boolean> {
    const authority = await this.authority();
    const [issuer, active] = await this.#read("hasRole / isActive", () =>
      Promise.all([
        this.#client.readContract({
          address: authority,
          abi: authorityAbi,
          functionName: "hasRole",
          args: [RECORD_ISSUER_ROLE, account],
          blockNumber: at.number,
        }),
        this.#client.readContract({
          address: authority,
          abi: authorityAbi,
          functionName: "isActive",
          args: [account],
          blockNumber: at.number,
        }),
      ]),
    );
    return issuer && active;
  }

  /**
   * Whether `reader` may read `citizen`'s records of `category` at `at`: `hasAccess` decides; the grant and the
   * reader's accreditation, read at the same block, only say why not.
   */
  async accessDecision(citizen: Address, reader: Address, category: number, at: Moment): Promise<AccessDecision> {
    const authority = await this.authority();
    const [allowed, grant, active] = await this.#read("hasAccess", () =>
      Promise.all([
        this.#client.readContract({
          address: this.consentRegistry,
          abi: consentRegistryAbi,
          functionName: "hasAccess",
          args: [citizen, reader, category],
          blockNumber: at.number,
        }),
        this.#client.readContract({
          address: this.consentRegistry,
          abi: consentRegistryAbi,
          functionName: "grantOf",
          args: [citizen, reader, category],
          blockNumber: at.number,
        }),
        this.#client.readContract({
          address: authority,
          abi: authorityAbi,
          functionName: "isActive",
          args: [reader],
          blockNumber: at.number,
        }),
      ]),
    );
    if (allowed) return { allowed: true };
    if (grant.expiresAt === 0n) return { allowed: false, code: "VaultNoGrant" };
    if (grant.expiresAt <= BigInt(at.timestamp)) return { allowed: false, code: "VaultGrantExpired" };
    if (!active) return { allowed: false, code: "VaultReaderNotActive" };
    return { allowed: false, code: "VaultNoGrant" };
  }

  async #walletClient(): Promise<WalletClient<Transport, Chain, PrivateKeyAccount>> {
    if (this.#wallet === undefined) {
      const id = await this.chainId();
      const chain = defineChain({
        id,
        name: `chain ${id}`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [] } },
      });
      this.#wallet = createWalletClient({ account: this.#account, chain, transport: this.#transport });
    }
    return this.#wallet;
  }

  /**
   * Log a third-party read on chain (`ConsentRegistry.logAccess`) and wait for its receipt. Throws
   * `VaultAccessLogFailed` if it cannot be sent, reverts, or is not mined in time: the caller then serves nothing.
   */
  async logAccess(citizen: Address, reader: Address, category: number, recordId: Hex): Promise<LoggedAccess> {
    const send = async (): Promise<Hex> => {
      const wallet = await this.#walletClient();
      return wallet.writeContract({
        address: this.consentRegistry,
        abi: consentRegistryAbi,
        functionName: "logAccess",
        args: [citizen, reader, category, recordId],
      });
    };
    // One send at a time, so each transaction takes the next pending nonce; receipts are awaited in parallel.
    const sent = this.#sending.then(send, send);
    this.#sending = sent.catch(() => undefined);
    try {
      const hash = await sent;
      const receipt = await this.#client.waitForTransactionReceipt({ hash, timeout: this.#receiptTimeoutMs });
      if (receipt.status !== "success") throw new Error(`logAccess reverted in transaction ${hash}`);
      return { txHash: hash, blockNumber: receipt.blockNumber };
    } catch (error) {
      throw new VaultError("VaultAccessLogFailed", undefined, { cause: error });
    }
  }

  /** For /health: whether the chain answers and the gatekeeper holds its role. Never throws. */
  async status(): Promise<{
    reachable: boolean;
    chainId: number | null;
    blockNumber: string | null;
    gatekeeperHasRole: boolean | null;
  }> {
    try {
      const [chainId, at, authority] = await Promise.all([this.chainId(), this.moment(), this.authority()]);
      const hasRole = await this.#client.readContract({
        address: authority,
        abi: authorityAbi,
        functionName: "hasRole",
        args: [GATEKEEPER_ROLE, this.gatekeeper],
        blockNumber: at.number,
      });
      return { reachable: true, chainId, blockNumber: at.number.toString(), gatekeeperHasRole: hasRole };
    } catch {
      return { reachable: false, chainId: this.#chainId ?? null, blockNumber: null, gatekeeperHasRole: null };
    }
  }

  /** Verify an EIP-191 signature of `message` by `address` (EOA, or a contract wallet through ERC-1271/6492). */
  async verifyMessageSignature(address: Address, message: string, signature: Hex): Promise<boolean> {
    return this.#read("signature verification", () =>
      this.#client.verifyMessage({ address, message, signature, mode: "eoa" }),
    );
  }
}
