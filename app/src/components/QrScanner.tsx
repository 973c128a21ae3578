/**
 * Read a code three ways: the phone's camera, a photo file, or typing/pasting it. Every result goes through
 * `parseScannedCode` (lib/qr.ts) and only an accepted code reaches `onCode`; a refused one shows why.
 */
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { chain } from "../config.ts";
import { parseScannedCode, QrError, type ScannedCode } from "../lib/qr.ts";
import { ErrorNote } from "./TxStatus.tsx";

export type CodeKind = ScannedCode["kind"];

export interface QrScannerProps {
  /** Which kinds this place accepts; others are refused with a message. */
  readonly accept: readonly CodeKind[];
  readonly onCode: (code: ScannedCode) => void;
  /** Label of the text field. */
  readonly label?: string;
  readonly testId?: string;
}

export function appHosts(): string[] {
  return typeof window === "undefined" ? [] : [window.location.host];
}

export function QrScanner({ accept, onCode, label, testId = "scanner" }: QrScannerProps) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<{ message: string; code: string } | null>(null);
  const [camera, setCamera] = useState<"off" | "starting" | "on">("off");
  const [busy, setBusy] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const inputId = useId();

  const handle = useCallback(
    (text: string): boolean => {
      try {
        const code = parseScannedCode(text, { chainId: chain.id, appHosts: appHosts() });
        if (!accept.includes(code.kind)) {
          setProblem({ message: t("scan.wrongKind", { kind: t(`scan.kind.${code.kind}`) }), code: "wrongKind" });
          return false;
        }
        setProblem(null);
        onCode(code);
        return true;
      } catch (error) {
        if (error instanceof QrError) {
          const detail =
            error.problem === "badDigitalLink" && error.detail !== undefined ? t(`codes:digitalLink.${error.detail}`) : error.detail;
          setProblem({ message: t(`scan.problem.${error.problem}`, { detail }), code: error.problem });
          return false;
        }
        throw error;
      }
    },
    [accept, onCode, t],
  );

  const stopCamera = useCallback(() => {
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    setCamera("off");
  }, []);
  useEffect(() => stopCamera, [stopCamera]);

  // While the camera runs, decode a frame every 400 ms.
  useEffect(() => {
    if (camera !== "on") return;
    let live = true;
    const canvas = document.createElement("canvas");
    const tick = async () => {
      const v = video.current;
      if (!live || v === null || v.videoWidth === 0) return;
      canvas.width = v.videoWidth;
      canvas.height = v.videoHeight;
      const ctx = canvas.getContext("2d", { willReadFrequently: true });
      if (ctx === null) return;
      ctx.drawImage(v, 0, 0);
      const { decodeQr } = await import("../lib/qrDecode.ts");
      const texts = await decodeQr(ctx.getImageData(0, 0, canvas.width, canvas.height));
      if (live && texts.length > 0 && handle(texts[0])) stopCamera();
    };
    const timer = window.setInterval(() => void tick(), 400);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [camera, handle, stopCamera]);

  const startCamera = async () => {
    setProblem(null);
    if (navigator.mediaDevices?.getUserMedia === undefined) {
      setProblem({ message: t("scan.noCamera"), code: "noCamera" });
      return;
    }
    setCamera("starting");
    try {
      const media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      stream.current = media;
      if (video.current !== null) {
        video.current.srcObject = media;
        await video.current.play();
      }
      setCamera("on");
    } catch {
      setCamera("off");
      setProblem({ message: t("scan.cameraDenied"), code: "cameraDenied" });
    }
  };

  const fromFile = async (file: File | undefined) => {
    if (file === undefined) return;
    setBusy(true);
    setProblem(null);
    try {
      const { decodeQr } = await import("../lib/qrDecode.ts");
      const texts = await decodeQr(file);
      if (texts.length === 0) setProblem({ message: t("scan.noCodeInImage"), code: "noCodeInImage" });
      else handle(texts[0]);
    } catch {
      setProblem({ message: t("scan.unreadableImage"), code: "unreadableImage" });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="scanner" data-testid={testId}>
      <div className="scanner-actions">
        {camera === "off" ? (
          <button type="button" onClick={() => void startCamera()}>
            {t("scan.useCamera")}
          </button>
        ) : (
          <button type="button" onClick={stopCamera}>
            {t("scan.stopCamera")}
          </button>
        )}
        <label className="button-like">
          {busy ? t("scan.reading") : t("scan.fromPhoto")}
          <input
            type="file"
            accept="image/*"
            capture="environment"
            hidden
            data-testid={`${testId}-file`}
            onChange={(e) => void fromFile(e.target.files?.[0])}
          />
        </label>
      </div>
      <video ref={video} className={camera === "off" ? "hidden" : "scanner-video"} muted playsInline />
      <form
        className="scanner-typed"
        onSubmit={(e) => {
          e.preventDefault();
          if (handle(typed)) setTyped("");
        }}
      >
        <label htmlFor={inputId}>{label ?? t("scan.typeCode")}</label>
        <div className="row">
          <input
            id={inputId}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            data-testid={`${testId}-input`}
            placeholder={t("scan.placeholder")}
          />
          <button type="submit" data-testid={`${testId}-submit`}>
            {t("scan.go")}
          </button>
        </div>
      </form>
      {problem !== null && <ErrorNote message={problem.message} code={problem.code} />}
    </div>
  );
}
