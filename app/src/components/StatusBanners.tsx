/**
 * Banners above every page: the chain node is unreachable; the wallet is on the wrong network (with a switch
 * button); this build has no deployment for its chain.
 */
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { getBlockNumber } from "viem/actions";
import { useClient, useConnection, useSwitchChain } from "wagmi";

import { chain, HAS_DEPLOYMENT, RPC_URL } from "../config.ts";
import { useWalletErrorText } from "../hooks/useWalletErrorText.ts";

export function useRpcHealth() {
  const client = useClient();
  return useQuery({
    queryKey: ["healthtrace", "rpc-health"],
    enabled: client !== undefined,
    refetchInterval: 5_000,
    retry: false,
    queryFn: async () => {
      if (client === undefined) throw new Error("no client");
      return getBlockNumber(client, { cacheTime: 0 });
    },
  });
}

export function StatusBanners() {
  const { t } = useTranslation();
  const errorText = useWalletErrorText();
  const rpc = useRpcHealth();
  const { status, chainId } = useConnection();
  const { mutate: switchChain, isPending, error: switchError } = useSwitchChain();
  const wrongNetwork = status === "connected" && chainId !== chain.id;
  return (
    <>
      {!HAS_DEPLOYMENT && (
        <div className="banner banner-error" role="alert" data-testid="no-deployment">
          {t("banner.noDeployment", { chainId: chain.id })}
        </div>
      )}
      {rpc.isError && (
        <div className="banner banner-error" role="alert" data-testid="rpc-unreachable">
          {t("errors:wallet.rpcUnreachable", { url: RPC_URL })}
        </div>
      )}
      {wrongNetwork && (
        <div className="banner banner-warn" role="alert" data-testid="wrong-network">
          <span>{t("errors:wallet.wrongNetwork", { actual: String(chainId), expected: `${chain.name} (${String(chain.id)})` })}</span>
          <button type="button" disabled={isPending} onClick={() => switchChain({ chainId: chain.id })}>
            {t("banner.switchNetwork", { name: chain.name })}
          </button>
          {switchError !== null && <span className="banner-detail">{errorText(switchError)}</span>}
        </div>
      )}
    </>
  );
}
