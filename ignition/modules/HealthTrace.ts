import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys HealthTrace: the authority that accredits organisations and, wired to it, the record-anchor
 * registry, the consent registry, the vaccine lot and dose registry, and the supply provenance registry, which
 * the regulator names the vaccine registry's cold-chain reporter.
 *
 * Accounts: #0 deploys; #1 is the first regulator organisation (accredited by the constructor).
 *
 * Parameters (ignition/parameters/*.json or `--parameters`):
 * - `adminDelay`: seconds a default-admin handover waits (default 2 days);
 * - `admin`: the default admin, the health commission's governance wallet (default: account 0);
 * - `regulatorDistrict`, `regulatorName`, `regulatorLocalName`: its accreditation;
 * - `releaseQuorum`: distinct attestations a vaccine lot needs for release (default 2: e.g. the regulator
 *   and an independent lab).
 */
export default buildModule("HealthTrace", (m) => {
  const adminDelay = m.getParameter("adminDelay", 2n * 24n * 60n * 60n);
  const admin = m.getParameter("admin", m.getAccount(0));
  // The first regulator signs the wiring call below, so it is an account Ignition signs with: account #1 of the
  // network's `accounts` (see hardhat.config.ts and .env.example).
  const regulator = m.getAccount(1);
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
  const releaseQuorum = m.getParameter("releaseQuorum", 2n);
  const vaccineRegistry = m.contract("VaccineRegistry", [authority, releaseQuorum]);

  const provenanceRegistry = m.contract("ProvenanceRegistry", [authority, vaccineRegistry]);
  // Wiring: the regulator names the provenance registry the vaccine registry's cold-chain reporter, so an
  // excursion of a shipment that carries a vaccine lot makes that lot non-conformant.
  m.call(vaccineRegistry, "setColdChainReporter", [provenanceRegistry], { from: regulator });

  return { authority, recordRegistry, consentRegistry, vaccineRegistry, provenanceRegistry };
});
