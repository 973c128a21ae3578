/**
 * Every refusal of the record vault: a stable code, its HTTP status, and a sentence in English and Simplified
 * Chinese. The HTTP body of a refusal is always `{ "error": { "code": "<code>", "message": "<English sentence>" } }`;
 * the app translates the code. Dependency-free and erasable TypeScript only, so the app can import this file.
 */

export const VAULT_ERRORS = {
  // Requests
  VaultBadRequest: {
    status: 400,
    en: "The request is not valid.",
    zh: "请求格式无效。",
  },
  VaultPayloadTooLarge: {
    status: 413,
    en: "The request is too large.",
    zh: "请求内容过大。",
  },
  VaultNotFound: {
    status: 404,
    en: "There is no such address on the record vault.",
    zh: "记录库没有该接口。",
  },
  // Sign-in with Ethereum (EIP-4361)
  VaultSiweMalformed: {
    status: 400,
    en: "The sign-in message is not a valid Sign-In with Ethereum (EIP-4361) message.",
    zh: "登录消息不是有效的以太坊登录（EIP-4361）消息。",
  },
  VaultSiweWrongDomain: {
    status: 401,
    en: "The sign-in message was made for another website.",
    zh: "该登录消息是为其他网站生成的。",
  },
  VaultSiweWrongScheme: {
    status: 401,
    en: "The sign-in message names the wrong protocol (http or https) for this website.",
    zh: "登录消息中的协议（http 或 https）与本网站不符。",
  },
  VaultSiweWrongUri: {
    status: 401,
    en: "The sign-in message names a page that is not part of this website.",
    zh: "登录消息中的地址不属于本网站。",
  },
  VaultSiweWrongChain: {
    status: 401,
    en: "The sign-in message was made for another network (chain id).",
    zh: "登录消息是为其他网络（链 ID）生成的。",
  },
  VaultSiweNonceUnknown: {
    status: 401,
    en: "The sign-in message does not carry a nonce issued by this vault.",
    zh: "登录消息中的随机数不是本记录库签发的。",
  },
  VaultSiweNonceWrongAddress: {
    status: 401,
    en: "The sign-in nonce was issued for another account.",
    zh: "该登录随机数是为其他账户签发的。",
  },
  VaultSiweNonceUsed: {
    status: 401,
    en: "This sign-in message has already been used. Sign in again.",
    zh: "该登录消息已被使用，请重新登录。",
  },
  VaultSiweNonceExpired: {
    status: 401,
    en: "The sign-in nonce has expired. Sign in again.",
    zh: "登录随机数已过期，请重新登录。",
  },
  VaultRateLimited: {
    status: 429,
    en: "Too many sign-in requests from this address in the last minute; nothing was issued. Wait a minute and sign in again.",
    zh: "过去一分钟内来自该地址的登录请求过多，未签发任何内容。请稍候一分钟再登录。",
  },
  VaultSiweExpired: {
    status: 401,
    en: "The sign-in message has expired. Sign in again.",
    zh: "登录消息已过期，请重新登录。",
  },
  VaultSiweNotYetValid: {
    status: 401,
    en: "The sign-in message is not valid yet.",
    zh: "登录消息尚未生效。",
  },
  VaultSiweStaleIssuedAt: {
    status: 401,
    en: "The sign-in message was issued too long ago. Sign in again.",
    zh: "登录消息签发时间过早，请重新登录。",
  },
  VaultSiweIssuedInFuture: {
    status: 401,
    en: "The sign-in message claims to be issued in the future; check your device's clock.",
    zh: "登录消息的签发时间在未来，请检查设备时钟。",
  },
  VaultSiweBadSignature: {
    status: 401,
    en: "The signature was not made by the account named in the sign-in message.",
    zh: "签名不是由登录消息中的账户做出的。",
  },
  // Sessions
  VaultUnauthenticated: {
    status: 401,
    en: "Sign in with your wallet first.",
    zh: "请先用钱包登录。",
  },
  VaultSessionExpired: {
    status: 401,
    en: "Your session has ended. Sign in again.",
    zh: "会话已结束，请重新登录。",
  },
  VaultSessionWrongChain: {
    status: 401,
    en: "Your session was opened on another network. Sign in again.",
    zh: "您的会话是在其他网络上建立的，请重新登录。",
  },
  // Uploads
  VaultNotProvider: {
    status: 403,
    en: "Only an accredited, active organisation with the record-issuer role can file health records.",
    zh: "只有具备记录签发角色且处于有效状态的认证机构才能提交健康记录。",
  },
  VaultDocumentInvalid: {
    status: 400,
    en: "The record document is not a valid HealthTrace record document.",
    zh: "记录文档不是有效的 HealthTrace 记录文档。",
  },
  VaultDocumentIssuerMismatch: {
    status: 403,
    en: "The record document names another organisation as its issuer.",
    zh: "记录文档中的签发机构不是您的机构。",
  },
  VaultAnchorConflict: {
    status: 409,
    en: "A record with this hash is already anchored on chain with a different citizen, category or issuer.",
    zh: "链上已有相同哈希的记录，但其居民、类别或签发机构不同。",
  },
  // Reads
  VaultRecordNotFound: {
    status: 404,
    en: "The vault holds no record with this id.",
    zh: "记录库中没有该编号的记录。",
  },
  VaultNotYourRecord: {
    status: 403,
    en: "Only the record's citizen or its issuer can do this.",
    zh: "只有记录所属居民或签发机构才能执行此操作。",
  },
  VaultRecordNotAnchored: {
    status: 409,
    en: "The record's hash is not anchored on chain yet, so it cannot be served.",
    zh: "该记录的哈希尚未上链锚定，暂不能提供。",
  },
  VaultAnchorMismatch: {
    status: 409,
    en: "The on-chain anchor of this record names a different citizen, category or issuer; it will not be served.",
    zh: "该记录的链上锚定信息（居民、类别或签发机构）与存储不符，不予提供。",
  },
  VaultNoGrant: {
    status: 403,
    en: "The citizen has not granted you access to this category of records, or has revoked it.",
    zh: "该居民未授权您访问此类记录，或已撤销授权。",
  },
  VaultGrantExpired: {
    status: 403,
    en: "Your access to this category of the citizen's records has expired.",
    zh: "您对该居民此类记录的访问授权已过期。",
  },
  VaultReaderNotActive: {
    status: 403,
    en: "Your organisation is not accredited or is suspended, so grants to it do not apply.",
    zh: "您的机构未获认证或已被暂停，相关授权不生效。",
  },
  VaultRecordTampered: {
    status: 500,
    en: "The stored record failed its integrity check (it does not match its on-chain hash); it will not be served.",
    zh: "存储的记录未通过完整性校验（与链上哈希不符），不予提供。",
  },
  // Dependencies
  VaultChainUnavailable: {
    status: 503,
    en: "The vault cannot reach the blockchain right now, so it serves nothing. Try again shortly.",
    zh: "记录库暂时无法连接区块链，因此不提供任何记录，请稍后重试。",
  },
  VaultAccessLogFailed: {
    status: 503,
    en: "The read could not be logged on chain, so the record was not served. Try again shortly.",
    zh: "本次读取无法在链上记录，因此未提供记录，请稍后重试。",
  },
  VaultInternal: {
    status: 500,
    en: "The record vault hit an unexpected problem; nothing was served or changed.",
    zh: "记录库出现意外问题，未提供或更改任何内容。",
  },
} as const satisfies Record<string, { readonly status: number; readonly en: string; readonly zh: string }>;

export type VaultErrorCode = keyof typeof VAULT_ERRORS;

/** A refusal: thrown anywhere in the vault, turned into the JSON error body by the HTTP layer. */
export class VaultError extends Error {
  readonly code: VaultErrorCode;
  readonly status: number;
  /** Extra detail appended to the sentence (never secret, never health data). */
  readonly detail: string | undefined;
  constructor(code: VaultErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail === undefined ? VAULT_ERRORS[code].en : `${VAULT_ERRORS[code].en} (${detail})`, options);
    this.name = "VaultError";
    this.code = code;
    this.status = VAULT_ERRORS[code].status;
    this.detail = detail;
  }
}

/** The JSON body of a refusal. */
export interface VaultErrorBody {
  readonly error: { readonly code: VaultErrorCode; readonly message: string };
}
