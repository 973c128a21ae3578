/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** JSON-RPC URL of the chain the app reads and writes. */
  readonly VITE_RPC_URL: string;
  /** Base URL of the record vault (issue 6). */
  readonly VITE_VAULT_URL: string;
  readonly VITE_INDEXER_URL: string;
  /** Base URL of the consent relayer (relayer/): submits citizens' EIP-712 grant and revoke signatures. */
  readonly VITE_RELAYER_URL: string;
  /** Chain id the app is built for (31337 = the local stack). */
  readonly VITE_CHAIN_ID: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

/** Build-time: whether this build is for the local dev chain (31337). See vite.config.ts. */
declare const __HEALTHTRACE_LOCAL_CHAIN__: boolean;
