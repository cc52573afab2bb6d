import { expect, test } from "bun:test";
import { unitName, unitText } from "./unit.ts";

const lines = (text: string) => text.split("\n");

test("the store's unit runs serve on its data folder, writable there only, with printers and serial ports", () => {
  const text = lines(unitText({ role: "store", exec: ["/usr/local/bin/shopflow"], user: "shopflow", port: 8080, dataDir: "/var/lib/shopflow" }));
  expect(unitName("store")).toBe("shopflow.service");
  expect(text).toContain("ExecStart=/usr/local/bin/shopflow serve --data /var/lib/shopflow --port 8080");
  expect(text).toContain("ReadWritePaths=/var/lib/shopflow");
  expect(text).toContain("ProtectHome=yes");
  expect(text).toContain("CapabilityBoundingSet=");
  expect(text).toContain("SupplementaryGroups=lp dialout");
  expect(text).not.toContain("PrivateDevices=yes");
  expect(text.filter((l) => l.startsWith("EnvironmentFile="))).toEqual([]);
});

test("head office's unit: no data folder, no devices, its settings from a file, after PostgreSQL", () => {
  const text = lines(
    unitText({ role: "hq", exec: ["/usr/local/bin/shopflow"], user: "shopflow", port: 8090, environmentFile: "/etc/shopflow/shopflow-hq.env" }),
  );
  expect(unitName("hq")).toBe("shopflow-hq.service");
  expect(text).toContain("ExecStart=/usr/local/bin/shopflow hq --port 8090");
  expect(text).toContain("EnvironmentFile=/etc/shopflow/shopflow-hq.env");
  expect(text).toContain("After=network-online.target postgresql.service");
  expect(text).toContain("PrivateDevices=yes");
  expect(text.some((l) => l.startsWith("DeviceAllow=") || l.startsWith("ReadWritePaths="))).toBe(false);
});

test("words systemd would read otherwise are quoted: spaces, $ and % in a path", () => {
  const text = unitText({ role: "store", exec: ["/opt/shop flow/shopflow"], user: "shop", port: 80, dataDir: "/srv/100% $hop" });
  expect(text).toContain('ExecStart="/opt/shop flow/shopflow" serve --data "/srv/100%% $$hop" --port 80');
  expect(lines(text)).toContain("AmbientCapabilities=CAP_NET_BIND_SERVICE");
});
