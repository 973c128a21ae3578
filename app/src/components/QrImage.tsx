/** A QR code of `value` as an SVG image (the `qrcode` library, loaded on first use). */
import { useEffect, useState } from "react";

export function QrImage({ value, label, size = 240, testId }: { value: string; label: string; size?: number; testId?: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void import("qrcode").then(async (QRCode) => {
      const markup = await QRCode.toString(value, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
      if (live) setSvg(markup);
    });
    return () => {
      live = false;
    };
  }, [value]);
  if (svg === null) return <div className="qr-placeholder" style={{ width: size, height: size }} aria-busy="true" />;
  return (
    <img
      className="qr"
      src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`}
      alt={label}
      width={size}
      height={size}
      data-testid={testId}
      data-value={value}
    />
  );
}
