/**
 * Direct chain access for the citizen and clinic end-to-end tests: set-up and checks made from the test process
 * with viem and the seeded personas' PUBLIC Hardhat keys (the UI under test is not involved), so each test creates
 * what it needs and does not depend on another test's effects.
 */
import type { Page } from "playwright-core";
import { type Address, createPublicClient, createWalletClient, defineChain, type Hash, type Hex, http, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import {
  consentRegistryAbi,
  healthTraceAuthorityAbi,
  vaccineRegistryAbi,
} from "../../app/src/generated/healthtrace.ts";
import { LotState } from "../../scripts/lib/vaccines.ts";
import { account, RPC_URL, type Stack } from "./harness.ts";

const LOT_ACTIVE = LotState.Active;

export function chainClients(stack: Stack) {
  const chain = defineChain({
    id: stack.chainId,
    name: "HealthTrace local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [RPC_URL] } },
  });
  const publicClient = createPublicClient({ chain, transport: http(RPC_URL) });
  const contracts = {
    authority: { address: stack.contracts.HealthTraceAuthority, abi: healthTraceAuthorityAbi },
    consent: { address: stack.contracts.ConsentRegistry, abi: consentRegistryAbi },
    vaccines: { address: stack.contracts.VaccineRegistry, abi: vaccineRegistryAbi },
  } as const;
  const walletOf = (personaKey: string) =>
    createWalletClient({ account: privateKeyToAccount(account(stack, personaKey).publicTestPrivateKey), chain, transport: http(RPC_URL) });
  const mined = async (hash: Hash) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`set-up transaction ${hash} reverted`);
    return receipt;
  };

  return {
    publicClient,
    contracts,
    walletOf,
    mined,

    /** The stored grant's expiry (0: none). */
    async grantExpiry(citizen: Address, grantee: Address, category: number): Promise<bigint> {
      const g = await publicClient.readContract({ ...contracts.consent, functionName: "grantOf", args: [citizen, grantee, category] });
      return g.expiresAt;
    },

    /** Revoke (as the citizen, directly) a grant left by an earlier run, so the test starts from "no grant". */
    async ensureNoGrant(citizenKey: string, grantee: Address, category: number): Promise<void> {
      const citizen = account(stack, citizenKey).address;
      const g = await publicClient.readContract({ ...contracts.consent, functionName: "grantOf", args: [citizen, grantee, category] });
      if (g.expiresAt === 0n) return;
      await mined(await walletOf(citizenKey).writeContract({ ...contracts.consent, functionName: "revoke", args: [grantee, category] }));
    },

    /** A lot a clinic may record a dose from now (active, unexpired, doses left). */
    async usableLot(): Promise<number> {
      const [count, block] = await Promise.all([
        publicClient.readContract({ ...contracts.vaccines, functionName: "lotCount" }),
        publicClient.getBlock({ blockTag: "pending" }),
      ]);
      for (let lotId = 1; lotId <= count; lotId++) {
        const lot = await publicClient.readContract({ ...contracts.vaccines, functionName: "lotOf", args: [lotId] });
        if (lot.state === LOT_ACTIVE && BigInt(lot.expiresAt) > block.timestamp && lot.dosesRecorded < lot.doseCount) return lotId;
      }
      throw new Error("no usable lot on the chain");
    },

    /** A clinic records a dose for a citizen (set-up); returns the dose id. */
    async recordDose(clinicKey: string, citizenKey: string, lotId: number, doseNumber = 1): Promise<Hex> {
      const clinic = walletOf(clinicKey);
      const citizen = account(stack, citizenKey).address;
      const org = await publicClient.readContract({ ...contracts.authority, functionName: "organisationOf", args: [clinic.account.address] });
      const { request, result } = await publicClient.simulateContract({
        ...contracts.vaccines,
        functionName: "recordDose",
        args: [lotId, citizen, doseNumber, org.district],
        account: clinic.account,
      });
      await mined(await clinic.writeContract(request));
      return result;
    },

    /** The citizen confirms a dose (set-up). */
    async confirmDose(citizenKey: string, doseId: Hex): Promise<void> {
      await mined(await walletOf(citizenKey).writeContract({ ...contracts.vaccines, functionName: "confirmDose", args: [doseId] }));
    },

    /** The newest dose a clinic recorded for a citizen. */
    async newestDose(clinic: Address, citizen: Address): Promise<Hex | null> {
      const logs = await publicClient.getContractEvents({
        ...contracts.vaccines,
        eventName: "DoseRecorded",
        args: { clinic, citizen },
        fromBlock: 0n,
        strict: true,
      });
      return logs.at(-1)?.args.doseId ?? null;
    },

    /**
     * A lot of its own (registered by manufacturer A, released by the lab and the regulator), a dose from it for
     * the citizen recorded by a clinic, then the lot recalled by the regulator with `reason`.
     */
    async recalledDose(citizenKey: string, clinicKey: string, reason: number): Promise<{ doseId: Hex; lotNumber: string }> {
      const now = (await publicClient.getBlock({ blockTag: "pending" })).timestamp;
      const lotNumber = `E2E${Date.now().toString(36).toUpperCase()}`;
      const manufacturer = walletOf("manufacturerA");
      const { request, result: lotId } = await publicClient.simulateContract({
        ...contracts.vaccines,
        functionName: "registerLot",
        args: [
          {
            dossierHash: keccak256(toHex(lotNumber)),
            lotNumber,
            gtin: 6923450120019n,
            manufacturedAt: Number(now - 30n * 86_400n),
            doseCount: 10,
            expiresAt: Number(now + 300n * 86_400n),
            minTempCentiC: 200,
            maxTempCentiC: 800,
          },
        ],
        account: manufacturer.account,
      });
      await mined(await manufacturer.writeContract(request));
      for (const attester of ["lab", "regulator"]) {
        await mined(await walletOf(attester).writeContract({ ...contracts.vaccines, functionName: "attestLot", args: [lotId] }));
      }
      const doseId = await this.recordDose(clinicKey, citizenKey, lotId);
      await mined(
        await walletOf("regulator").writeContract({ ...contracts.vaccines, functionName: "recallLot", args: [lotId, reason] }),
      );
      return { doseId, lotNumber };
    },

    async dose(doseId: Hex) {
      return publicClient.readContract({ ...contracts.vaccines, functionName: "doseOf", args: [doseId] });
    },
  };
}

/** YYYY-MM-DD, Shanghai time, `days` from now. */
export function shanghaiDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Pick an organisation in the citizen's grant form (search by name, choose it, wait until it is the chosen one). */
export async function chooseOrganisation(page: Page, search: string, address: Address): Promise<void> {
  await page.getByTestId("org-search").fill(search);
  await page.locator(`[data-testid="org-option"][data-address="${address}"]`).click();
  await page.locator(`[data-testid="org-chosen"][data-address="${address}"]`).waitFor();
}
