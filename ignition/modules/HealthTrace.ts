import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the HealthTrace foundation: the authority that accredits organisations, the record-anchor
 * registry and the consent registry, both wired to the authority.
 *
 * Parameters (ignition/parameters/*.json or `--parameters`):
 * - `adminDelay`: seconds a default-admin handover waits (default 2 days);
 * - `admin`: the default admin, the health commission's governance wallet (default: account 0);
 * - `regulator`: the first regulator organisation's wallet (default: account 1);
 * - `regulatorDistrict`, `regulatorName`, `regulatorLocalName`: its accreditation.
 */
export default buildModule("HealthTrace", (m) => {
  const adminDelay = m.getParameter("adminDelay", 2n * 24n * 60n * 60n);
  const admin = m.getParameter("admin", m.getAccount(0));
  const regulator = m.getParameter("regulator", m.getAccount(1));
  const regulatorDistrict = m.getParameter("regulatorDistrict", 310000n);
  const regulatorName = m.getParameter("regulatorName", "Shanghai Municipal Health Commission");
  const regulatorLocalName = m.getParameter("regulatorLocalName", "上海市卫生健康委员会");

  const authority = m.contract("HealthTraceAuthority", [
    adminDelay,
    admin,
    regulator,
    regulatorDistrict,
    regulatorName,
    regulatorLocalName,
  ]);
  const recordRegistry = m.contract("RecordRegistry", [authority]);
  const consentRegistry = m.contract("ConsentRegistry", [authority]);

  return { authority, recordRegistry, consentRegistry };
});
