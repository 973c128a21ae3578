/**
 * Routes (wouter: a 2 kB router, so the initial bundle stays within budget). Every page is its own chunk
 * (React.lazy); the initial bundle holds only the shell: layout, wallet connection, i18n. GS1 Digital Link
 * paths (`/01/{GTIN}/10/{lot}[/21/{serial}]`) open the public lot and shipment pages, so a printed label scanned
 * by any phone camera lands on the right page, without a wallet.
 */
import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Route, Switch } from "wouter";

import { Layout } from "./components/Layout.tsx";

const Home = lazy(() => import("./pages/Home.tsx"));
const ScanPage = lazy(() => import("./pages/ScanPage.tsx"));
const CitizenPage = lazy(() => import("./pages/citizen/CitizenPage.tsx"));
const VerifyPage = lazy(() => import("./pages/citizen/VerifyPage.tsx"));
const SupplierPage = lazy(() => import("./pages/supplier/SupplierPage.tsx"));
const ShipmentPage = lazy(() => import("./pages/supplier/ShipmentPage.tsx"));
const ClinicPage = lazy(() => import("./pages/clinic/ClinicPage.tsx"));
const RegulatorPage = lazy(() => import("./pages/regulator/RegulatorPage.tsx"));
const LotPage = lazy(() => import("./pages/regulator/LotPage.tsx"));
const RecordsPage = lazy(() => import("./pages/records/RecordsPage.tsx"));
const DashboardPage = lazy(() => import("./pages/dashboard/DashboardPage.tsx"));

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" aria-busy="true">
      {t("loading")}
    </p>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t("routeError.title")}</h1>
      <p role="alert">{t("routeError.notFound")}</p>
    </div>
  );
}

export function App() {
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/" component={Home} />
          <Route path="/scan" component={ScanPage} />
          <Route path="/citizen" component={CitizenPage} />
          <Route path="/verify" component={VerifyPage} />
          <Route path="/supplier" component={SupplierPage} />
          <Route path="/shipment/:shipmentId" component={ShipmentPage} />
          <Route path="/01/:gtin/10/:lot/21/:serial" component={ShipmentPage} />
          <Route path="/clinic" component={ClinicPage} />
          <Route path="/regulator" component={RegulatorPage} />
          <Route path="/lot/:lotId" component={LotPage} />
          <Route path="/records" component={RecordsPage} />
          <Route path="/dashboard" component={DashboardPage} />
          <Route path="/01/:gtin/10/:lot" component={LotPage} />
          <Route component={NotFound} />
        </Switch>
      </Suspense>
    </Layout>
  );
}
